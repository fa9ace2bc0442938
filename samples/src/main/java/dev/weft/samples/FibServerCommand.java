package dev.weft.samples;

import dev.weft.loop.Async;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code weft fib-server}: serve {@code /fib/N} (slow, CPU-bound) and {@code /fast} until stopped, the slow work on an
 * executor unless {@code --on-loop} says to compute it on the loop and show what that costs the fast requests.
 */
final class FibServerCommand implements Command {

    @Override
    public String name() {
        return "fib-server";
    }

    @Override
    public String summary() {
        return "serve /fib/N (CPU-heavy, on an executor) and /fast until stopped [--host H] [--port P] [--on-loop]";
    }

    /** The command line, as picocli fills it in. */
    @CommandLine.Command(name = "weft fib-server", description = "Serve /fib/N, computed the slow recursive way on an"
            + " executor (runInExecutor), and /fast, answered at once, until stopped.",
            footer = {"Example: weft fib-server --port 8003, then: curl 127.0.0.1:8003/fib/30",
                    "Measured in README's fib-server section: weft bench fib"})
    static final class Arguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Option(names = "--host", description = "the address to listen on (default 127.0.0.1)")
        String host = "127.0.0.1";
        @Option(names = "--port", description = "the port (default 8003; 0: a free one)")
        int port = 8003;
        @Option(names = "--on-loop", description = "compute on the loop, holding every other request up (to compare)")
        boolean onLoop;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = Picocli.parse(new Arguments(), args, out);
        if (arguments == null) {
            return 0; // --help
        }
        Picocli.port("weft fib-server", "--port", arguments.port);
        return UntilStopped.serve("fib server", () -> FibServer.start(arguments.host, arguments.port,
                !arguments.onLoop), server -> "fib server (" + Async.loop().backendName() + " loop) on http://"
                + arguments.host + ":" + server.port() + "/fib/N, computing " + (arguments.onLoop ? "on the loop"
                : "on an executor of " + Runtime.getRuntime().availableProcessors() + " threads"), out);
    }
}
