package dev.weft.http;

import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static dev.weft.http.Misbehaving.answering;
import static dev.weft.http.Misbehaving.assertNextRequestWorksOnANewConnection;
import static dev.weft.http.Misbehaving.assertNothingKept;
import static dev.weft.http.Misbehaving.refused;
import static dev.weft.http.Misbehaving.server;
import static dev.weft.http.Misbehaving.text;
import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Misbehaving servers, part two: bodies framed wrongly. A body cut short is an error, never a shorter body; bytes
 * past a body's end (more than Content-Length said, a body on a HEAD, 204 or 304 response) are never read as the
 * next request's answer; a compressed body is refused if it is malformed or expands past its limits. Each on every
 * backend, each followed by a request that must work on a new connection.
 */
@Timeout(30)
class MisframedBodiesTest {
    /** What a client that reused the connection would take for its next answer. */
    private static final String SMUGGLED = RawResponses.ok("smuggled");

    private static byte[] bomb; // 64 MiB of zeros, gzip'd to about 64 KiB

    @BeforeAll
    static void makeTheBomb() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        bomb = bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyShorterThanItsContentLengthIsAnError(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write(RawResponses.headOnly(10) + "hello").close())) {
                refused(session, server, HttpProtocolException.class,
                        "the connection closed after 5 of 10 body bytes (Content-Length)");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aChunkedBodyCutMidChunkIsAnError(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "a\r\nhello").close())) {
                refused(session, server, HttpProtocolException.class,
                        "the connection closed in a chunked body, after 5 body bytes, before its last chunk");
            }
            return null;
        });
    }

    /** The body is what Content-Length says; what follows is not the next answer: the connection is dropped. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void bytesPastTheContentLengthAreNotTakenForTheNextResponse(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.wrongContentLength(3, "abc" + SMUGGLED))) {
                assertEquals("abc", text(session, server.baseUrl() + "/bad"));
                assertNothingKept(session);
                assertNextRequestWorksOnANewConnection(session, server, "/bad");
            }
            return null;
        });
    }

    /**
     * The same with the extra bytes past the client's first read (64 KiB, which the head and body fill exactly):
     * they wait in the connection's stream buffer, not in what the parser was given, and still keep it from reuse.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void bytesPastTheEndOfALargeBodyAreNotTakenForTheNextResponse(String backend) throws Exception {
        int bodyLength = 64 * 1024 - RawResponses.headOnly(60_000).length(); // a five-digit length either way
        String body = "b".repeat(bodyLength);
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.headOnly(bodyLength) + body + SMUGGLED)) {
                assertEquals(body, text(session, server.baseUrl() + "/bad"));
                assertNothingKept(session);
                assertNextRequestWorksOnANewConnection(session, server, "/bad");
            }
            return null;
        });
    }

    /**
     * RFC 9112 §6.3 item 3: Transfer-Encoding overrides Content-Length, and such a message "ought to be handled as an
     * error" since it may be smuggling. Refusing it would break servers that merely add a stale Content-Length, so the
     * body is read as chunked and the connection is never used again: nothing after it can be smuggled in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void chunkedWithAContentLengthIsReadAsChunkedAndTheConnectionDropped(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"
                    + "\r\n5\r\nhello\r\n0\r\n\r\n" + SMUGGLED)) {
                assertEquals("hello", text(session, server.baseUrl() + "/bad"));
                assertNothingKept(session);
                assertNextRequestWorksOnANewConnection(session, server, "/bad");
            }
            return null;
        });
    }

    /** A HEAD response has no body whatever its Content-Length; one that sends a body anyway loses its connection. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyOnAHeadResponseIsNotTakenForTheNextResponse(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.headOnly(SMUGGLED.length()) + SMUGGLED)) {
                try (HttpResponse response = session.head(server.baseUrl() + "/bad")) {
                    assertEquals(String.valueOf(SMUGGLED.length()), response.headers().first("Content-Length"));
                    assertNull(response.readChunk());
                }
                assertNothingKept(session);
                assertNextRequestWorksOnANewConnection(session, server, "/bad");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyOnA204OrA304IsNotTakenForTheNextResponse(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write("HTTP/1.1 " + (c.lastRequest().target().equals("/204")
                    ? "204 No Content" : "304 Not Modified") + "\r\n\r\n" + SMUGGLED))) {
                for (String status : new String[] {"204 No Content", "304 Not Modified"}) {
                    String target = "/" + status.substring(0, 3);
                    try (HttpResponse response = session.get(server.baseUrl() + target)) {
                        assertEquals(status, response.status() + " " + response.reason());
                        assertEquals(0, response.bytes().length);
                    }
                    assertNothingKept(session);
                    assertNextRequestWorksOnANewConnection(session, server, target);
                }
            }
            return null;
        });
    }

    /** The ratio guard is on by default: a bomb stops after a few MiB, however much it would expand to. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGzipBombIsStoppedByTheRatioGuard(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write(gzipHead(bomb.length)).write(bomb))) {
                refused(session, server, HttpProtocolException.class,
                        "the gzip body expands more than 100 times (ResponseLimits.maxDecompressionRatio)",
                        "a decompression bomb, or raise the limit");
            }
            return null;
        });
    }

    /** With the ratio guard off, a body limit stops the same bomb as it decompresses. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGzipBombIsStoppedByTheBodyLimit(String backend) throws Exception {
        HttpSessionBuilder limited = HttpSession.builder().responseLimits(new ResponseLimits(8192, 65536, 100,
                1 << 20, -1));
        withSession(backend, limited, session -> {
            try (RawServer server = server(c -> c.write(gzipHead(bomb.length)).write(bomb))) {
                refused(session, server, HttpProtocolException.class,
                        "decompressed past 1048576 bytes (ResponseLimits.maxBodyBytes); raise the limit");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyThatIsNotTheGzipItClaimsIsAnError(String backend) throws Exception {
        withSession(backend, session -> {
            String notGzip = "plain text, not gzip";
            try (RawServer server = answering(gzipHead(notGzip.length()) + notGzip)) {
                refused(session, server, HttpProtocolException.class,
                        "malformed gzip body: it does not start with the gzip magic");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGzipBodyCutShortIsAnError(String backend) throws Exception {
        byte[] whole = gzip("a body long enough to be cut ".repeat(100));
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write(gzipHead(cut.length)).write(cut))) {
                refused(session, server, HttpProtocolException.class, "truncated gzip body: it ended in the "
                        + "compressed data, after " + cut.length + " compressed bytes");
            }
            return null;
        });
    }

    private static String gzipHead(int length) {
        return "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
