package dev.weft.http;

import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpServer} end to end on every backend: Weft's client against it for what goes right, raw bytes over a
 * real socket for what a client can get wrong, each of which is answered with its status and the connection closed.
 */
@Timeout(30)
class HttpServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void requestsOnOneKeptConnectionGetTheirAnswers(String backend) throws Exception {
        List<String> answers = withSession(backend, session -> {
            Set<String> clients = new HashSet<>();
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> {
                clients.add(request.remoteAddress());
                return switch (request.path()) {
                    case "/echo" -> ServerResponse.of(201, "application/octet-stream", request.body());
                    case "/fail" -> throw new IllegalStateException("a handler's bug");
                    default -> ServerResponse.text(200, request.method() + " " + request.query());
                };
            })) {
                List<String> seen = new java.util.ArrayList<>();
                try (HttpResponse r = session.get(server.url("/hello?x=1"))) {
                    seen.add(r.status() + " " + r.text());
                }
                try (HttpResponse r = session.post(server.url("/echo")).text("some bytes").send()) {
                    seen.add(r.status() + " " + r.text());
                }
                try (HttpResponse r = session.get(server.url("/fail"))) {
                    seen.add(r.status() + " " + r.text().strip());
                }
                try (HttpResponse r = session.head(server.url("/hello"))) { // "HEAD null": 9 bytes, none sent
                    seen.add(r.status() + " " + r.headers().first("Content-Length") + " " + r.bytes().length);
                }
                seen.add(clients.size() + " connection");
                return seen;
            }
        });
        assertEquals(List.of("200 GET x=1", "201 some bytes",
                "500 the server failed to answer: IllegalStateException", "200 9 0", "1 connection"), answers);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void whatAClientGetsWrongIsAnsweredWithItsStatusAndTheConnectionClosed(String backend) throws Exception {
        String many = "X-N: 1\r\n".repeat(RequestHeadParser.MAX_FIELDS + 1);
        List<String> requests = List.of(
                "GET / HTTP/1.1\r\nHost: h\r\nno colon here\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n",
                "GET / HTTP/1.1\r\nHost : h\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n",
                "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET / HTTP/2.0\r\nHost: h\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\n" + many + "\r\n",
                "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "x".repeat(70_000) + "\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2000000\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
                "GET / HTTP/1.0\r\n\r\n");
        List<String> statuses = withSession(backend, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> ServerResponse.text(200, "ok"))) {
                List<String> seen = new java.util.ArrayList<>();
                for (String request : requests) {
                    String answer = exchange(server, request);
                    seen.add(answer.substring(9, 12) + (answer.contains("Connection: close") ? " closed" : ""));
                }
                return seen;
            }
        });
        assertEquals(List.of("400 closed", "400 closed", "400 closed", "400 closed", "400 closed", "505 closed",
                "431 closed", "431 closed", "501 closed", "413 closed", "400 closed", "200 closed"), statuses);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void expectContinueIsAnsweredBeforeTheBodyAndASlowRequestTimesOut(String backend) throws Exception {
        List<String> answers = withSession(backend, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0,
                    request -> ServerResponse.text(200, new String(request.body(), StandardCharsets.UTF_8)),
                    1024, Duration.ofMillis(300))) {
                List<String> seen = new java.util.ArrayList<>();
                try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
                    c.writer().write(ascii("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                            + "Content-Length: 4\r\nConnection: close\r\n\r\n"));
                    seen.add(new String(c.reader().readUntil(ascii("\r\n\r\n")), StandardCharsets.US_ASCII).strip());
                    c.writer().write(ascii("body"));
                    String rest = new String(c.reader().readAll(), StandardCharsets.US_ASCII);
                    seen.add(rest.substring(0, 12) + " ... " + rest.substring(rest.lastIndexOf("\r\n") + 2));
                }
                try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
                    c.writer().write(ascii("GET / HT")); // and nothing more: the server's timeout ends it
                    String rest = new String(c.reader().readAll(), StandardCharsets.US_ASCII);
                    seen.add(rest.substring(0, 12) + (rest.contains("Connection: close") ? " closed" : ""));
                }
                return seen;
            }
        });
        assertEquals(List.of("HTTP/1.1 100 Continue", "HTTP/1.1 200 ... body", "HTTP/1.1 408 closed"), answers);
    }

    /**
     * A body larger than the server takes, sent whole (no {@code Expect: 100-continue}), is answered 413, and the
     * client reads the 413: the server reads and drops the rest of the body before closing (closed with bytes unread,
     * the socket would reset the connection under the client's still-running write).
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyTooLargeSentWholeGetsItsAnswer(String backend) throws Exception {
        List<String> answers = withSession(backend, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> ServerResponse.text(200, "ok"))) {
                List<String> seen = new java.util.ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    try (HttpResponse r = session.post(server.url("/")).body(new byte[8 << 20], "x/y").send()) {
                        seen.add(r.status() + " " + r.headers().first("Connection"));
                    }
                }
                return seen;
            }
        });
        assertEquals(List.of("413 close", "413 close"), answers);
    }

    /**
     * A client that sends requests and reads nothing cannot hold its connection: the answer it does not take within
     * the request timeout ends it. Closing the server with a long grace then returns once the handler ended by
     * itself, and the server counts the connection it aborted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aClientThatNeverReadsIsAbortedAfterTheRequestTimeout(String backend) throws Exception {
        byte[] big = new byte[1 << 20];
        int aborted = withSession(backend, session -> {
            HttpServer server = HttpServer.start("127.0.0.1", 0, request -> request.path().equals("/hello")
                    ? ServerResponse.text(200, "hello") : ServerResponse.of(200, "application/octet-stream", big),
                    1024, Duration.ofMillis(300));
            try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(ascii("GET /hello HTTP/1.1\r\nHost: h\r\n\r\n"));
                c.reader().readUntil(ascii("hello")); // its handler runs: the server has the connection
                c.writer().write(ascii("GET /big HTTP/1.1\r\nHost: h\r\n\r\n".repeat(50)));
                server.close(Duration.ofSeconds(20)); // returns once the handler has ended
                return server.abortedNonReaders();
            }
        });
        assertEquals(1, aborted);
    }

    /** Empty lines before a request line are skipped (RFC 9112 §2.2); a huge Content-Length is a 413. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void emptyLinesBeforeARequestAreSkippedAndAHugeLengthIsTooLarge(String backend) throws Exception {
        List<String> statuses = withSession(backend, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> ServerResponse.text(200, "ok"))) {
                return List.of(
                        exchange(server, "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
                                .substring(9, 12),
                        exchange(server, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999"
                                + "\r\n\r\n").substring(9, 12));
            }
        });
        assertEquals(List.of("200", "413"), statuses);
    }

    /** Send raw bytes on a new connection and read the answer to the end: the server must close after it. */
    private static String exchange(HttpServer server, String request) throws Exception {
        try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write(ascii(request));
            String answer = new String(c.reader().readAll(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 "), "an answer to " + request.lines().findFirst() + ": " + answer);
            return answer;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
