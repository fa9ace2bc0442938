package dev.weft.samples;

import dev.weft.loop.Async;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code weft flag-server}: serve the flags until stopped (Ctrl-C or SIGTERM cancels the main task: the server stops,
 * says so, and the process exits with 130 or 143), optionally slow and unreliable, for {@code weft flags} and the
 * benchmark.
 */
final class FlagServerCommand implements Command {

    @Override
    public String name() {
        return "flag-server";
    }

    @Override
    public String summary() {
        return "serve the 247 flag PNGs at /flags/<cc>.png until stopped [--host H] [--port P] [--delay MIN-MAX]"
                + " [--error-rate R] [--seed S] [--block-once MS]";
    }

    /** The command line, as picocli fills it in. */
    @CommandLine.Command(name = "weft flag-server", description = "Serve the 247 flag PNGs at /flags/<cc>.png, an"
            + " index at /flags/, until stopped; optionally slow (--delay) and unreliable (--error-rate, 418s).",
            footer = "Example: weft flag-server --port 8002 --delay 50-500 --error-rate 0.1 --seed 7")
    static final class Arguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Option(names = "--host", description = "the address to listen on (default 127.0.0.1)")
        String host = "127.0.0.1";
        @Option(names = "--port", description = "the port (default 8001; 0: a free one)")
        int port = 8001;
        @Option(names = "--delay", description = "a delay in ms drawn for each flag from MIN-MAX, or MS (default 0)")
        String delay = "0";
        @Option(names = "--error-rate", description = "the share of flag requests answered 418, 0 to 1 (default 0)")
        double errorRate;
        @Option(names = "--seed", description = "the seed of the delays and errors (default 0)")
        long seed;
        @Option(names = "--block-once", paramLabel = "MS", description = "the first flag request's handler blocks "
                + "its loop for MS without awaiting, as a bug would; what `weft --debug` reports (default 0: never)")
        long blockOnce;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = Picocli.parse(new Arguments(), args, out);
        if (arguments == null) {
            return 0; // --help
        }
        FlagServer.Behaviour behaviour = behaviour(arguments);
        return UntilStopped.serve("flag server", () -> FlagServer.start(arguments.host, arguments.port, behaviour),
                server -> "flag server (" + Async.loop().backendName() + " loop) on http://" + arguments.host + ":"
                        + server.port() + "/flags/ with " + FlagServer.FLAGS.size() + " flags; " + behaviour, out);
    }

    private static FlagServer.Behaviour behaviour(Arguments arguments) {
        Picocli.port("weft flag-server", "--port", arguments.port);
        String[] range = arguments.delay.split("-", -1);
        try {
            long min = Long.parseLong(range[0].strip());
            long max = range.length == 2 ? Long.parseLong(range[1].strip()) : min;
            if (range.length > 2) {
                throw new NumberFormatException();
            }
            return new FlagServer.Behaviour(Duration.ofMillis(min), Duration.ofMillis(max), arguments.errorRate,
                    arguments.seed).blockingOnce(Duration.ofMillis(arguments.blockOnce));
        } catch (NumberFormatException e) {
            throw new Options.UsageException("weft flag-server: --delay is MIN-MAX or MS in milliseconds, such as "
                    + "50-500, not '" + arguments.delay + "'");
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("weft flag-server: " + e.getMessage());
        }
    }
}
