package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Loops;
import dev.weft.net.Spread;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code weft echo-server}: serve echo on a port until the process is stopped, on one loop (the default) or on a
 * {@link LoopGroup} of {@code --loops N} loops ({@code cores}: one per core). Both run in {@code Loops.run}'s main
 * task, which SIGINT (Ctrl-C) or SIGTERM cancels: the server stops accepting, closes its connections, prints
 * {@code echo server stopped: closed N connections}, and the process exits with 130 or 143.
 */
final class EchoServerCommand implements Command {
    /** More loops than this is a typo, not a machine: each loop is a platform thread and a selector. */
    static final int MAX_LOOPS = 1024;

    @Override
    public String name() {
        return "echo-server";
    }

    @Override
    public String help() {
        return """
                usage: weft echo-server [--host H] [--port P] [--mode streams|protocol] [--loops N|cores]

                Serve TCP echo until stopped (Ctrl-C or SIGTERM: it closes its connections, says how many, and exits 130 or 143).
                  --host H                  the address to listen on (default 127.0.0.1)
                  --port P                  the port (default 7000; 0: a free one)
                  --mode streams|protocol   a task per connection (default), or protocol callbacks
                  --loops N|cores           serve from a group of N loops, or one per core (default 1)

                example: weft --loop iouring echo-server --port 7000 --loops cores
                """;
    }

    @Override
    public String summary() {
        return "serve TCP echo until stopped [--host H] [--port P] [--mode streams|protocol] [--loops N|cores]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(name(), args, Set.of("host", "port", "mode", "loops"));
        String host = options.get("host", "127.0.0.1");
        int port = options.integer("port", 7000, 0, 65535);
        String mode = options.get("mode", "streams");
        if (!mode.equals("streams") && !mode.equals("protocol")) {
            throw new Options.UsageException("weft echo-server: --mode is streams or protocol, not '" + mode + "'");
        }
        int loops = loopCount(options.get("loops", "1"));
        return loops == 1 ? serveOnOneLoop(mode, host, port, out) : serveOnGroup(mode, host, port, loops, out);
    }

    /** {@code --loops}: a whole number from 1 to {@link #MAX_LOOPS}, or {@code cores}. */
    static int loopCount(String text) {
        if (text.equals("cores")) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int count = Integer.parseInt(text);
            if (count >= 1 && count <= MAX_LOOPS) {
                return count;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Options.UsageException("weft echo-server: --loops must be a whole number from 1 to " + MAX_LOOPS
                + ", or cores for one loop per core; not '" + text + "'");
    }

    private static int serveOnOneLoop(String mode, String host, int port, PrintStream out) throws Exception {
        return Loops.run(() -> {
            EchoServer server = EchoServer.start(mode, host, port);
            try {
                out.println("echo server (" + mode + ", " + Async.loop().backendName() + " loop) on "
                        + server.addresses());
                out.flush();
                Future<Void> never = Async.loop().createFuture();
                never.await(); // until SIGINT or SIGTERM cancels the main task
                return 0;
            } finally {
                stopped(server, out);
            }
        });
    }

    /** Serve on every loop of a group until SIGINT or SIGTERM cancels the main task. */
    private static int serveOnGroup(String mode, String host, int port, int loops, PrintStream out)
            throws Exception { // Loops.run throws what main throws, once bodies declare it
        return Loops.run(() -> {
            try (LoopGroup group = LoopGroup.open(loops)) {
                EchoServer server = EchoServer.start(mode, group, host, port);
                try {
                    out.println("echo server (" + mode + ", " + loops + " " + group.backendName() + " loops) on "
                            + server.addresses());
                    String threads = IntStream.range(0, loops).mapToObj(group::threadName)
                            .collect(Collectors.joining(", "));
                    out.println(server.spread() == Spread.REUSE_PORT
                            ? "every loop accepts on the port with SO_REUSEPORT: " + threads
                            : "loop 0 accepts and deals the connections round-robin to: " + threads);
                    out.flush();
                    Async.await(group.closed()); // the group's loops end only if they fail
                    throw new IllegalStateException("the loop group stopped by itself");
                } finally {
                    stopped(server, out); // its handlers have ended; the group closes next
                }
            }
        });
    }

    /** The clean-up a stopped server owes: stop accepting, close the connections, and say so. */
    private static void stopped(EchoServer server, PrintStream out) throws Exception {
        int closed = server.stop();
        out.println("echo server stopped: closed " + closed + (closed == 1 ? " connection" : " connections"));
        out.flush();
    }
}
