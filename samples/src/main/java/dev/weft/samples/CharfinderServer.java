package dev.weft.samples;

import dev.weft.http.HttpServer;
import dev.weft.http.ServerRequest;
import dev.weft.http.ServerResponse;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Fluent Python's charfinder servers, on one loop: over TCP a query per line, answered with a line per character and
 * a count ({@code tcp_charfinder.py}; an empty line or the end of the stream ends the session), and over HTTP
 * {@code GET /?q=WORDS} answered the same way as text ({@code http_charfinder.py}). Connections are served
 * concurrently; the index is shared, read-only.
 */
final class CharfinderServer implements AutoCloseable {
    private final StreamServer tcp;
    private final HttpServer http;

    private CharfinderServer(StreamServer tcp, HttpServer http) {
        this.tcp = tcp;
        this.http = http;
    }

    /** Start both (a port of 0: a free one), in a task of the loop that serves. */
    static CharfinderServer start(String host, int tcpPort, int httpPort) throws IOException {
        UnicodeIndex.get(); // built before the first client waits for it
        StreamServer tcp = Streams.startServer(CharfinderServer::session, host, tcpPort);
        try {
            return new CharfinderServer(tcp, HttpServer.start(host, httpPort, CharfinderServer::page));
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    int tcpPort() {
        return tcp.port();
    }

    int httpPort() {
        return http.port();
    }

    /** The answer to a query: a line per character, then {@code N found}. */
    static String answer(String query) {
        StringBuilder lines = new StringBuilder();
        int[] found = UnicodeIndex.get().find(query);
        for (int cp : found) {
            lines.append(UnicodeIndex.line(cp)).append('\n');
        }
        return lines.append(found.length).append(found.length == 1 ? " character" : " characters")
                .append(" found\n").toString();
    }

    private static void session(StreamReader reader, StreamWriter writer) throws IOException {
        writer.write("charfinder: type words of a character's name, one query per line; an empty line ends\n"
                .getBytes(StandardCharsets.UTF_8));
        while (true) {
            String query = reader.readLine();
            if (query == null || query.isBlank()) {
                writer.write("bye\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            writer.write(answer(query).getBytes(StandardCharsets.UTF_8));
            writer.drain(); // a big answer (LETTER: tens of thousands of lines) waits for a slow reader
        }
    }

    private static ServerResponse page(ServerRequest request) {
        String query = request.query();
        if (!request.path().equals("/")) {
            return ServerResponse.text(404, "charfinder answers at /?q=WORDS\n");
        }
        if (query == null || !query.startsWith("q=")) {
            return ServerResponse.text(200, "charfinder: GET /?q=WORDS finds the characters whose names hold "
                    + "every word, such as /?q=cat+face\n");
        }
        try {
            return ServerResponse.text(200, answer(URLDecoder.decode(query.substring(2).split("&", 2)[0],
                    StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            return ServerResponse.text(400, "the query is not percent-encoded: " + e.getMessage() + "\n");
        }
    }

    /** Stop both and close their connections. In a task. */
    @Override
    public void close() {
        http.close(Duration.ZERO);
        tcp.closeGracefully(Duration.ZERO);
    }
}
