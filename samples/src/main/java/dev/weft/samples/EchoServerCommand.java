package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code weft echo-server}: serve echo on a port until the process is stopped. */
final class EchoServerCommand implements Command {

    @Override
    public String name() {
        return "echo-server";
    }

    @Override
    public String summary() {
        return "serve TCP echo until stopped [--host H] [--port P] [--mode streams|protocol]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = Options.parse(name(), args, Set.of("host", "port", "mode"));
        String host = options.get("host", "127.0.0.1");
        int port = options.integer("port", 7000, 0, 65535);
        String mode = options.get("mode", "streams");
        if (!mode.equals("streams") && !mode.equals("protocol")) {
            throw new Options.UsageException("weft echo-server: --mode is streams or protocol, not '" + mode + "'");
        }
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
}
