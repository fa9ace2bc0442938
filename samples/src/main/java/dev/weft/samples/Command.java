package dev.weft.samples;

import java.io.PrintStream;
import java.util.List;

/** A subcommand of {@code weft}. */
interface Command {
    /** Exit status for a usage or configuration error, as in BSD's sysexits convention for "usage". */
    int USAGE = 2;

    String name();

    /** One line for {@code weft help}. */
    String summary();

    /**
     * What {@code weft COMMAND --help} prints: usage, options with their defaults, an example. Null for a command that
     * answers {@code --help} itself (the picocli ones).
     */
    default String help() {
        return null;
    }

    /** Run with the arguments after the subcommand's name; return the exit status. */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
