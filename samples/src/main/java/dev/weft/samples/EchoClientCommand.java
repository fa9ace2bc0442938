package dev.weft.samples;

import dev.weft.loop.Body;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;
import dev.weft.scope.Timeout;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code weft echo-client}: send lines to an echo server and print what comes back. */
final class EchoClientCommand implements Command {
    /** Long enough for a loaded server, short enough that a silent one is noticed. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "echo-client";
    }

    @Override
    public String help() {
        return """
                usage: weft echo-client [--host H] [--port P] [--message M] [--count N] [--timeout S]

                Send lines to an echo server and print the echoes.
                  --host H      the server (default 127.0.0.1)
                  --port P      its port (default 7000)
                  --message M   the line to send (default \"hello, weft\")
                  --count N     how many times (default 1)
                  --timeout S   the longest wait to connect and for each echo, in seconds (default 10; 0 waits forever)

                example: weft echo-client --port 7000 --count 3 --message hi
                """;
    }

    @Override
    public String summary() {
        return "send lines to an echo server and print the echoes [--host H] [--port P] [--message M] [--count N]"
                + " [--timeout S: longest wait to connect and for each echo (default 10; 0 waits forever)]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Options options = Options.parse(name(), args, Set.of("host", "port", "message", "count", "timeout"));
        String host = options.get("host", "127.0.0.1");
        int port = options.integer("port", 7000, 1, 65535);
        String message = options.get("message", "hello, weft");
        int count = options.integer("count", 1, 1, 1_000_000);
        Duration timeout = options.seconds("timeout", DEFAULT_TIMEOUT);
        if (message.contains("\n")) {
            throw new Options.UsageException("weft echo-client: --message is one line; it may not contain a newline");
        }
        String server = host + ":" + port;
        return Loops.run(() -> {
            String waitingFor = "connect to";
            try (StreamConnection connection = within(timeout, () -> Streams.openConnection(host, port))) {
                waitingFor = "get an echo from";
                for (int i = 0; i < count; i++) {
                    String echo = within(timeout, () -> {
                        connection.writer().write(message + "\n");
                        connection.writer().drain();
                        return connection.reader().readLine();
                    });
                    if (echo == null) {
                        err.println("weft echo-client: the server at " + server + " closed the connection");
                        return 1;
                    }
                    out.println(echo);
                }
            } catch (DeadlineExceededException e) {
                err.println("weft echo-client: could not " + waitingFor + " " + server + " within "
                        + seconds(timeout) + " s (--timeout); check that an echo server is what listens there,"
                        + " or give it longer with --timeout SECONDS (0 waits forever)");
                return 1;
            }
            return 0;
        });
    }

    /** Run the step under the timeout; zero means no limit. */
    private static <T, E extends Exception> T within(Duration timeout, Body<T, E> step) throws E {
        return timeout.isZero() ? step.call() : Timeout.after(timeout, step);
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
