package dev.weft.http;

import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server for the client's tests, on Weft's own streams on the test's loop and a real socket on
 * 127.0.0.1: it reads each request (head and Content-Length body) of each connection and lets the test's responder
 * write whatever it wants back, well-formed or not. It records what it received.
 */
final class TestServer implements AutoCloseable {
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A request as received: the connection it came on (from 1), its head, its body. */
    record Seen(int connection, String head, byte[] body) {
        String requestLine() {
            return head.substring(0, head.indexOf("\r\n"));
        }

        /** The value of a header, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    /** Writes the answer to one request; may close or abort the connection, or never answer. */
    @FunctionalInterface
    interface Responder {
        void respond(Seen request, StreamWriter out) throws Exception;
    }

    private final StreamServer server;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private TestServer(Responder responder) throws IOException {
        this.server = Streams.startServer((reader, writer) -> serve(reader, writer, responder), "127.0.0.1", 0);
    }

    /** Start one; in a task. */
    static TestServer start(Responder responder) throws IOException {
        return new TestServer(responder);
    }

    /** A responder that answers every request with this status and body (Content-Length framed). */
    static Responder answering(int status, String body) {
        return (request, out) -> out.write(response(status, body));
    }

    /** A whole response with a Content-Length body, as text. */
    static String response(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    List<Seen> requests() {
        return requests;
    }

    int connections() {
        return connections.get();
    }

    private void serve(StreamReader reader, StreamWriter writer, Responder responder) throws Exception {
        int connection = connections.incrementAndGet();
        while (true) {
            byte[] head;
            try {
                head = reader.readUntil(END_OF_HEAD);
            } catch (EOFException closed) {
                return; // the client closed the connection between requests
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            Seen request = new Seen(connection, text, new byte[0]);
            String length = request.header("Content-Length");
            if (length != null) {
                request = new Seen(connection, text, reader.readExactly(Integer.parseInt(length)));
            }
            requests.add(request);
            responder.respond(request, writer);
            if (writer.isClosing()) {
                return; // the responder closed or aborted the connection
            }
            writer.drain();
        }
    }

    /** Stop listening, and end the connections' handlers. In a task. */
    @Override
    public void close() {
        server.closeGracefully(java.time.Duration.ZERO);
    }
}
