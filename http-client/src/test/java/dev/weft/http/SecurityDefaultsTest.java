package dev.weft.http;

import dev.weft.http.peers.Nginx;
import dev.weft.net.TlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's security defaults, end to end against real servers on every backend, each with nothing changed from
 * {@code HttpSession.builder()} but what the test names: a certificate for another host is refused; credentials
 * follow a redirect within their origin and never out of it; CR, LF and NUL cannot reach the wire through a header,
 * a method or a URL; a deflate body is held to the decompression ratio by default, and to an absolute size when
 * one is set, as any body is to the body limit. (Defaults tested elsewhere: an unknown certificate authority,
 * {@link RealServersTest}; header count and size limits, {@link MalformedHeadsTest}; a gzip bomb at the ratio and at
 * the body limit, {@link MisframedBodiesTest}; a WebSocket message past its limit as sent or once inflated closing
 * with 1009, {@link WebSocketTest} and {@link WebSocketMisbehaviourTest}; the limits and the bomb guard of
 * permessage-deflate, {@link WebSocketDeflateTest}.)
 */
@Timeout(60)
class SecurityDefaultsTest {
    private static Nginx nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = Nginx.builder().https().start();
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.close();
        }
    }

    /**
     * nginx's certificate names localhost and 127.0.0.1; {@code 0.0.0.0} reaches the same server (Linux connects it
     * to the local host) under a name the certificate does not have. A client that trusts the certificate's
     * authority still refuses it, naming the address; skipping the hostname check, and only that, lets it through.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aCertificateForAnotherHostIsRefusedNamingIt(String backend) throws Exception {
        String wrongHost = "https://0.0.0.0:" + nginx.httpsPort() + Nginx.BINARY_1K;
        TlsOptions trusting = TlsOptions.client(nginx.certificates().clientContext());
        withSession(backend, HttpSession.builder().tls(trusting), session -> {
            SSLException refused = assertThrows(SSLException.class, () -> session.get(wrongHost));
            assertTrue(messages(refused).contains("0.0.0.0"), "names the host: " + messages(refused));
            try (HttpResponse right = session.get(nginx.httpsBaseUrl() + Nginx.BINARY_1K)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), right.bytes(), "the right name is accepted");
            }
            return null;
        });
        withSession(backend, HttpSession.builder().tls(trusting.insecureSkipHostnameVerification()), session -> {
            try (HttpResponse response = session.get(wrongHost)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            return null;
        });
    }

    /**
     * Authorization, Cookie and Proxy-Authorization go along a redirect to the same origin and are dropped on one to
     * another origin (here the same host on another port); other fields go along both.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void credentialsFollowARedirectWithinTheirOriginOnly(String backend) throws Exception {
        List<String> credentials = List.of("Authorization", "Cookie", "Proxy-Authorization");
        Map<String, HttpHeaders> landed = new LinkedHashMap<>();
        withSession(backend, session -> {
            try (HttpServer elsewhere = HttpServer.start("127.0.0.1", 0, request -> {
                landed.put("elsewhere", request.headers());
                return ServerResponse.text(200, "landed elsewhere");
            }); HttpServer here = HttpServer.start("127.0.0.1", 0, request -> switch (request.path()) {
                case "/same" -> ServerResponse.empty(302).withHeader("Location", "/landing");
                case "/cross" -> ServerResponse.empty(307).withHeader("Location", elsewhere.url("/landing"));
                default -> {
                    landed.put("here", request.headers());
                    yield ServerResponse.text(200, "landed here");
                }
            })) {
                for (String start : List.of("/same", "/cross")) {
                    try (HttpResponse response = session.request("GET", here.url(start))
                            .header("Authorization", "Bearer secret").header("Cookie", "id=1")
                            .header("Proxy-Authorization", "Basic cHJveHk6cGFzcw==").header("X-Kept", "yes").send()) {
                        assertEquals(200, response.status());
                        assertEquals(1, response.history().size(), start + " was redirected once");
                    }
                }
            }
            return null;
        });
        for (String name : credentials) {
            assertTrue(landed.get("here").first(name) != null, name + " follows a same-origin redirect");
            assertNull(landed.get("elsewhere").first(name), name + " does not follow a cross-origin redirect");
        }
        assertEquals("Bearer secret", landed.get("here").first("Authorization"));
        assertEquals("yes", landed.get("elsewhere").first("X-Kept"));
    }

    /**
     * A line end or NUL in a header name or value, a method or a URL could add a header or a request of its own
     * making (request splitting); each is refused with an IllegalArgumentException naming the character, before
     * anything is sent, before a connection is even taken from the pool.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void lineEndsAndNulCannotReachTheWire(String backend) throws Exception {
        int[] requests = {0};
        withSession(backend, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> {
                requests[0]++;
                return ServerResponse.text(200, "should not be asked");
            })) {
                String url = server.url("/");
                Map<String, Executable> attempts = new LinkedHashMap<>();
                for (String bad : List.of("\r\n", "\r", "\n", "\0")) {
                    String shown = bad.replace("\r", "CR").replace("\n", "LF").replace("\0", "NUL");
                    attempts.put("header name with " + shown, () -> session.request("GET", url)
                            .header("X-A" + bad + "Host", "evil").send().close());
                    attempts.put("header value with " + shown, () -> session.request("GET", url)
                            .header("X-A", "a" + bad + "Host: evil").send().close());
                    attempts.put("method with " + shown, () -> session.request("GET / HTTP/1.1" + bad + "X:", url)
                            .send().close());
                    attempts.put("URL path with " + shown, () -> session.request("GET", url + "a" + bad + "b")
                            .send().close());
                    attempts.put("URL query with " + shown, () -> session.request("GET", url + "?q=" + bad)
                            .send().close());
                }
                attempts.put("method with a space", () -> session.request("GE T", url).send().close());
                attempts.put("empty method", () -> session.request("", url).send().close());
                attempts.put("header name with a colon", () -> session.request("GET", url)
                        .header("Host: evil\r\nX", "1").send().close());
                attempts.put("URL path with a non-ASCII character", () -> session.request("GET", url + "caf\u00e9")
                        .send().close());
                List<String> unnamed = new ArrayList<>();
                attempts.forEach((what, attempt) -> {
                    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, attempt, what);
                    if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                        unnamed.add(what);
                    }
                });
                assertEquals(List.of(), unnamed, "refusals that name no cause");
                assertEquals(0, requests[0], "nothing reached the server");
                assertEquals(0, session.poolStats().total(), "no connection was taken: " + session.poolStats());
            }
            return null;
        });
    }

    /**
     * 16 MiB of zeros deflated to about 16 KiB: past the default ratio of 100, which stops the body with an error
     * naming the limit and gives up the connection. The body limit, off by default, bounds the decoded size
     * absolutely when set, whatever the ratio. (The same for gzip: {@link MisframedBodiesTest}.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aDeflateBombIsStoppedByTheRatioByDefaultAndByTheBodyLimitWhenSet(String backend) throws Exception {
        byte[] bomb = ValidMessages.deflate(new byte[16 << 20], false);
        Map<HttpSessionBuilder, String> refusals = Map.of(
                HttpSession.builder(), "expands more than 100 times (ResponseLimits.maxDecompressionRatio)",
                HttpSession.builder().responseLimits(new ResponseLimits(8192, 65536, 100, 64 * 1024, -1)),
                "decompressed past 65536 bytes (ResponseLimits.maxBodyBytes)");
        for (var refusal : refusals.entrySet()) {
            withSession(backend, refusal.getKey(), session -> {
                try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> ServerResponse.of(200,
                        "application/octet-stream", bomb).withHeader("Content-Encoding", "deflate"));
                     HttpResponse response = session.get(server.url("/bomb"))) {
                    var refused = assertThrows(HttpProtocolException.class, response::bytes);
                    assertTrue(refused.getMessage().contains(refusal.getValue()), refused.getMessage());
                    assertEquals(0, session.poolStats().idle(), "the connection is not reused");
                }
                return null;
            });
        }
    }

    /**
     * With a body limit set, a body longer than it is refused as it comes, before it is read into memory: from its
     * Content-Length at once, and a chunked one at the chunk that passes it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyPastTheLimitIsRefusedAsItComes(String backend) throws Exception {
        HttpSessionBuilder limited = HttpSession.builder().responseLimits(new ResponseLimits(8192, 65536, 100, 1000,
                100));
        String chunk = "x".repeat(600);
        withSession(backend, limited, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(request.requestLine()
                    .startsWith("GET /sized ") ? TestServer.response(200, "x".repeat(1001))
                    : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + chunk + "\r\n258\r\n"
                    + chunk + "\r\n0\r\n\r\n"))) {
                var sized = assertThrows(HttpProtocolException.class, () -> session.get(server.url("/sized")));
                assertTrue(sized.getMessage().contains("Content-Length 1001 is over 1000 bytes "
                        + "(ResponseLimits.maxBodyBytes)"), sized.getMessage());
                try (HttpResponse chunked = session.get(server.url("/chunked"))) {
                    var refused = assertThrows(HttpProtocolException.class, chunked::bytes);
                    assertTrue(refused.getMessage().contains("longer than 1000 bytes (ResponseLimits.maxBodyBytes)"),
                            refused.getMessage());
                }
                assertEquals(0, session.poolStats().idle(), "neither connection is reused");
            }
            return null;
        });
    }

    /**
     * A body read whole is held to maxBufferedBodyBytes (64 MiB by default), however it comes — as sent, or a bomb
     * with the ratio guard off — and the read fails naming the limit and the way round it, giving up the connection;
     * read chunk by chunk, the same body comes whole.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyReadWholeStopsAtTheBufferedLimitButNotInChunks(String backend) throws Exception {
        assertEquals(64 << 20, ResponseLimits.DEFAULTS.maxBufferedBodyBytes());
        byte[] plain = new byte[5000];
        byte[] bomb = ValidMessages.deflate(new byte[1 << 20], false);
        HttpSessionBuilder limited = HttpSession.builder().responseLimits(
                new ResponseLimits(8192, 65536, 100, -1, -1).withMaxBufferedBodyBytes(4096));
        withSession(backend, limited, session -> {
            try (HttpServer server = HttpServer.start("127.0.0.1", 0, request -> request.path().equals("/bomb")
                    ? ServerResponse.of(200, "application/octet-stream", bomb).withHeader("Content-Encoding", "deflate")
                    : ServerResponse.of(200, "application/octet-stream", plain))) {
                for (String path : List.of("/plain", "/bomb")) {
                    try (HttpResponse response = session.get(server.url(path))) {
                        var refused = assertThrows(HttpProtocolException.class, response::text);
                        assertTrue(refused.getMessage().contains("longer than 4096 bytes, the most read whole "
                                + "(ResponseLimits.maxBufferedBodyBytes): read it with readChunk()"),
                                refused.getMessage());
                    }
                    assertEquals(0, session.poolStats().idle(), "the connection is not reused");
                }
                for (var sent : Map.of("/plain", plain.length, "/bomb", 1 << 20).entrySet()) {
                    long read = 0;
                    try (HttpResponse response = session.get(server.url(sent.getKey()))) {
                        for (ByteBuffer chunk = response.readChunk(); chunk != null; chunk = response.readChunk()) {
                            read += chunk.remaining();
                        }
                    }
                    assertEquals((long) sent.getValue(), read, sent.getKey());
                }
            }
            return null;
        });
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append("; ");
        }
        return all.toString();
    }
}
