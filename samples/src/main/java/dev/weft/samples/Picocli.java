package dev.weft.samples;

import picocli.CommandLine;

import java.io.PrintStream;
import java.util.List;

/**
 * Parses a command's arguments with picocli into its {@code @Command}-annotated arguments object: a bad option or
 * value becomes a {@link Options.UsageException} (exit 2, one line with the nearest valid option and the usage), and
 * {@code --help} prints the usage, options and defaults.
 */
final class Picocli {
    private Picocli() {
    }

    /** The filled-in arguments, or null if {@code --help} was asked for (its usage is then printed on out). */
    static <T> T parse(T arguments, List<String> args, PrintStream out) {
        // An @FILE argument is the command's own (curl's file body), never picocli's file of arguments.
        CommandLine command = new CommandLine(arguments).setExpandAtFiles(false);
        try {
            CommandLine.ParseResult result = command.parseArgs(args.toArray(String[]::new));
            if (result.isUsageHelpRequested()) {
                command.usage(out, CommandLine.Help.Ansi.OFF);
                return null;
            }
            return arguments;
        } catch (CommandLine.ParameterException e) {
            String nearest = e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()
                    ? " (did you mean " + unmatched.getSuggestions().getFirst() + "?)" : "";
            throw new Options.UsageException(command.getCommandName() + ": " + e.getMessage() + nearest + "; usage: "
                    + command.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().findFirst().orElse("").strip()
                    .replaceFirst("^Usage: ", "") + " (--help for more)");
        }
    }

    /** A port option's value, 0 (a free port) to 65535. @throws Options.UsageException naming it otherwise */
    static int port(String command, String option, int value) {
        if (value < 0 || value > 65535) {
            throw new Options.UsageException(command + ": " + option + " is 0 to 65535, not " + value);
        }
        return value;
    }
}
