package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Loops;
import dev.weft.net.Spread;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code weft echo-server}: serve echo on a port until the process is stopped, on one loop (the default) or on a
 * {@link LoopGroup} of {@code --loops N} loops ({@code cores}: one per core).
 */
final class EchoServerCommand implements Command {
    /** More loops than this is a typo, not a machine: each loop is a platform thread and a selector. */
    static final int MAX_LOOPS = 1024;

    @Override
    public String name() {
        return "echo-server";
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

    private static int serveOnOneLoop(String mode, String host, int port, PrintStream out) {
        return Loops.run(() -> {
            try (EchoServer server = EchoServer.start(mode, host, port)) {
                out.println("echo server (" + mode + ", " + Async.loop().backendName() + " loop) on "
                        + server.addresses());
                out.flush();
                Future<Void> never = Async.loop().createFuture();
                never.await(); // until the process is stopped
            }
            return 0;
        });
    }

    /** Serve on every loop of a group until the process is stopped, or this thread is interrupted. */
    private static int serveOnGroup(String mode, String host, int port, int loops, PrintStream out) throws Exception {
        try (LoopGroup group = LoopGroup.open(loops);
             EchoServer server = EchoServer.start(mode, group, host, port)) {
            out.println("echo server (" + mode + ", " + loops + " " + group.backendName() + " loops) on "
                    + server.addresses());
            String threads = IntStream.range(0, loops).mapToObj(group::threadName).collect(Collectors.joining(", "));
            out.println(server.spread() == Spread.REUSE_PORT
                    ? "every loop accepts on the port with SO_REUSEPORT: " + threads
                    : "loop 0 accepts and deals the connections round-robin to: " + threads);
            out.flush();
            group.closed().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // asked to stop: the group and the server are closed by now
        } catch (ExecutionException e) {
            throw new IllegalStateException("the loop group failed", e.getCause());
        }
        return 0;
    }
}
