package hello;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.scope.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The first program of a Weft user: a TCP echo server on a free port of 127.0.0.1, a client that sends it a line and
 * reads it back, all on one event loop and within a time limit; then it says which loop ran it. It uses only
 * {@code loop-api}; the backends are on the class path at run time, and {@code -Dweft.loop} picks one.
 */
public final class HelloWeft {
    public static void main(String[] args) throws IOException { // what the connect or the reads may throw, as itself
        String report = Loops.run(() -> Timeout.after(Duration.ofSeconds(10), () -> {
            try (StreamServer server = Streams.startServer(HelloWeft::echoOneLine, "127.0.0.1", 0);
                 StreamConnection client = Streams.openConnection("127.0.0.1", server.port())) {
                client.writer().write("hello, weft\n");
                String echo = client.reader().readLine(); // suspends this task, not the loop
                EventLoop loop = Async.loop();
                return "echoed \"" + echo + "\" from port " + server.port() + " on the " + loop.backendName()
                        + " loop, tasks " + loop.taskMode().name().toLowerCase(Locale.ROOT);
            }
        }));
        System.out.println(report);
    }

    /** Serves one connection, in a task of its own: send its first line back; the server closes it on return. */
    private static void echoOneLine(StreamReader reader, StreamWriter writer) throws IOException {
        writer.write(reader.readLine() + "\n");
        writer.drain();
    }
}
