package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.zip.GZIPOutputStream;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session end to end against {@link TestServer} on every backend: framing, reuse, the pool's accounting, and the
 * rule that a connection is never reused after an exchange that did not end cleanly. Every test ends by checking that
 * the session's pool holds nothing busy, and, once closed, nothing at all.
 */
@Timeout(30)
class HttpSessionTest {
    private static final Duration NEVER = Duration.ofHours(1);

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGetReadsTheBodyAndTheNextGetReusesTheConnection(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start(TestServer.answering(200, "hello"))) {
                for (int i = 0; i < 3; i++) {
                    try (HttpResponse response = session.get(server.url("/greeting?n=" + i))) {
                        assertEquals(200, response.status());
                        assertEquals("hello", response.text());
                    }
                    assertEquals(1, session.poolStats().idle(), "back in the pool: " + session.poolStats());
                }
                assertEquals(1, server.connections(), "one connection carried all three");
                TestServer.Seen first = server.requests().getFirst();
                assertEquals("GET /greeting?n=0 HTTP/1.1", first.requestLine());
                assertEquals("127.0.0.1:" + server.url("").split(":")[2], first.header("Host"));
                assertEquals("gzip, deflate", first.header("Accept-Encoding"));
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aChunkedGzipBodyIsDecodedAndAJsonPostGoesOut(String backend) throws Exception {
        byte[] gzipped = gzip("{\"name\":\"weft\",\"loops\":4}");
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> {
                if (request.requestLine().startsWith("POST")) {
                    out.write(TestServer.response(201, new String(request.body(), StandardCharsets.UTF_8)));
                    return;
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n");
                int half = gzipped.length / 2;
                out.write(Integer.toHexString(half) + "\r\n");
                out.write(java.util.Arrays.copyOfRange(gzipped, 0, half));
                out.write("\r\n" + Integer.toHexString(gzipped.length - half) + "\r\n");
                out.write(java.util.Arrays.copyOfRange(gzipped, half, gzipped.length));
                out.write("\r\n0\r\n\r\n");
            })) {
                try (HttpResponse response = session.get(server.url("/repo"))) {
                    assertEquals(Map.of("name", "weft", "loops", 4), response.json(Map.class));
                }
                try (HttpResponse created = session.post(server.url("/repos")).json(Map.of("name", "x")).send()) {
                    assertEquals(201, created.status());
                    assertEquals("{\"name\":\"x\"}", created.text());
                }
                TestServer.Seen post = server.requests().get(1);
                assertEquals("application/json", post.header("Content-Type"));
                assertEquals("12", post.header("Content-Length"));
                assertEquals(1, server.connections());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aHeadHasNoBodyAndAnErrorStatusIsRaisedOnlyWhenAsked(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(request.requestLine()
                    .startsWith("HEAD") ? "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"
                    : TestServer.response(404, "no such flag")))) {
                try (HttpResponse head = session.head(server.url("/big"))) {
                    assertEquals("1000", head.headers().first("Content-Length"));
                    assertNull(head.readChunk(), "a HEAD response has no body, whatever its Content-Length");
                }
                try (HttpResponse missing = session.get(server.url("/flags/xx.png"))) {
                    assertEquals(404, missing.status());
                    HttpStatusException raised = assertThrows(HttpStatusException.class, missing::raiseForStatus);
                    assertEquals(404, raised.status());
                    assertTrue(raised.getMessage().startsWith("GET http://127.0.0.1:"), raised.getMessage());
                }
            }
            return null;
        });
    }

    /** A server that closes an idle keep-alive connection: the next GET fails on it before any byte, and is sent again. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGetOnAConnectionTheServerClosedWhileIdleIsSentAgainOnAFreshOne(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> {
                out.write(TestServer.response(200, "once"));
                out.drain();
                out.close(); // says keep-alive, then closes: what an idle timeout does
            })) {
                for (int i = 0; i < 3; i++) {
                    try (HttpResponse response = session.get(server.url("/"))) {
                        assertEquals("once", response.text());
                    }
                }
                assertEquals(3, server.connections());
                assertEquals(3, server.requests().size(), "each request reached the server once");
            }
            return null;
        });
    }

    /** Closed before its end: a short rest that is here already is read off and the connection kept; a long one not. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aResponseClosedBeforeItsEndKeepsItsConnectionOnlyIfTheRestIsShortAndHere(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(TestServer.response(200,
                    request.requestLine().contains("/large") ? "x".repeat(1_000_000) : "short")))) {
                try (HttpResponse unread = session.get(server.url("/short"))) {
                    assertEquals(200, unread.status()); // its five bytes came with the head: read off at close
                }
                assertEquals(1, session.poolStats().idle(), "kept: " + session.poolStats());
                try (HttpResponse response = session.get(server.url("/large"))) {
                    assertTrue(response.readChunk().hasRemaining());
                }
                assertEquals(0, session.poolStats().idle(), "a long rest closes it: " + session.poolStats());
                try (HttpResponse again = session.get(server.url("/large"))) {
                    assertEquals(1_000_000, again.bytes().length);
                }
                assertEquals(2, server.connections());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aServerThatNeverAnswersIsAReadTimeoutNamingItsLimit(String backend) throws Exception {
        HttpSessionBuilder settings = HttpSession.builder()
                .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(200)));
        withSession(backend, settings, session -> {
            try (TestServer server = TestServer.start((request, out) -> Async.sleep(NEVER))) {
                HttpTimeoutException timeout = assertThrows(HttpTimeoutException.class,
                        () -> session.get(server.url("/slow")));
                assertEquals(HttpTimeoutException.Kind.READ, timeout.kind());
                assertEquals(Duration.ofMillis(200), timeout.limit());
                assertTrue(timeout.getMessage().contains("within PT0.2S"), timeout.getMessage());
                assertEquals(0, session.poolStats().idle(), "a timed-out connection is not reused");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRequestCancelledMidBodyLeavesNoConnectionBehind(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
                Async.sleep(NEVER);
            })) {
                Task<byte[]> reading = Tasks.spawn(() -> {
                    try (HttpResponse response = session.get(server.url("/drip"))) {
                        return response.bytes();
                    }
                });
                while (server.requests().isEmpty() || session.poolStats().busy() == 0) {
                    Async.sleep(Duration.ofMillis(1));
                }
                reading.cancel();
                assertThrows(CancellationException.class, reading::await);
                assertEquals(0, session.poolStats().idle());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aMalformedResponseIsAProtocolErrorAndAHeaderWithANewlineIsRefusedBeforeSending(String backend)
            throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write("SMTP/1.0 220 hello\r\n\r\n"))) {
                assertThrows(HttpProtocolException.class, () -> session.get(server.url("/")));
                assertThrows(IllegalArgumentException.class, () -> session.request("GET", server.url("/"))
                        .header("X-Injected", "a\r\nHost: evil"));
                assertEquals(1, server.requests().size(), "the refused request was never sent");
            }
            return null;
        });
    }

    /** Credentials stay with their origin: a redirect to another one goes without them. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void credentialsDoNotFollowARedirectToAnotherOrigin(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer elsewhere = TestServer.start(TestServer.answering(200, "landed"));
                 TestServer here = TestServer.start((request, out) -> out.write("HTTP/1.1 302 Found\r\nLocation: "
                         + elsewhere.url("/landing") + "\r\nContent-Length: 5\r\n\r\nmoved"))) {
                try (HttpResponse response = session.request("GET", here.url("/start"))
                        .header("Authorization", "Bearer secret").header("Cookie", "id=1").header("X-Kept", "yes")
                        .send()) {
                    assertEquals("landed", response.text());
                    assertEquals(302, response.history().getFirst().status());
                }
                TestServer.Seen landed = elsewhere.requests().getFirst();
                assertNull(landed.header("Authorization"));
                assertNull(landed.header("Cookie"));
                assertEquals("yes", landed.header("X-Kept"));
                assertEquals("Bearer secret", here.requests().getFirst().header("Authorization"));
                assertEquals(2, session.poolStats().idle(), "both connections kept, the redirect's too: its short "
                        + "body was read off");
            }
            return null;
        });
    }

    /** A small gzip that inflates past the body limit is stopped there, and its connection is not reused. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyThatDecompressesPastItsLimitIsRefused(String backend) throws Exception {
        byte[] bomb = gzip("0".repeat(1 << 20));
        HttpSessionBuilder settings = HttpSession.builder().responseLimits(new ResponseLimits(
                8192, 65536, 100, 64 * 1024, -1));
        withSession(backend, settings, session -> {
            try (TestServer server = TestServer.start((request, out) -> {
                out.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + bomb.length + "\r\n\r\n");
                out.write(bomb);
            })) {
                try (HttpResponse response = session.get(server.url("/bomb"))) {
                    HttpProtocolException refused = assertThrows(HttpProtocolException.class, response::bytes);
                    assertTrue(refused.getMessage().contains("decompressed past 65536 bytes"), refused.getMessage());
                }
                assertEquals(0, session.poolStats().idle());
            }
            return null;
        });
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
