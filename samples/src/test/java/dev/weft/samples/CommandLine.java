package dev.weft.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the {@code weft} command line in this JVM and keeps what it printed. */
final class CommandLine {
    final int status;
    final String out;
    final String err;

    private CommandLine(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static CommandLine weft(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Weft.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
