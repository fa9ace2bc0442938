package dev.weft.samples;

import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** {@code weft echo-client}: send lines to an echo server and print what comes back. */
final class EchoClientCommand implements Command {

    @Override
    public String name() {
        return "echo-client";
    }

    @Override
    public String summary() {
        return "send lines to an echo server and print the echoes [--host H] [--port P] [--message M] [--count N]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = Options.parse(name(), args, Set.of("host", "port", "message", "count"));
        String host = options.get("host", "127.0.0.1");
        int port = options.integer("port", 7000, 1, 65535);
        String message = options.get("message", "hello, weft");
        int count = options.integer("count", 1, 1, 1_000_000);
        if (message.contains("\n")) {
            throw new Options.UsageException("weft echo-client: --message is one line; it may not contain a newline");
        }
        byte[] line = (message + "\n").getBytes(StandardCharsets.UTF_8);
        return Loops.run(() -> {
            try (StreamConnection connection = Streams.openConnection(host, port)) {
                for (int i = 0; i < count; i++) {
                    connection.writer().write(line);
                    connection.writer().drain();
                    byte[] echo = connection.reader().readLine();
                    if (echo.length == 0) {
                        err.println("weft echo-client: the server at " + host + ":" + port + " closed the connection");
                        return 1;
                    }
                    out.print(new String(echo, StandardCharsets.UTF_8));
                }
            }
            return 0;
        });
    }
}
