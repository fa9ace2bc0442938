package dev.weft.http;

import dev.weft.http.peers.Httpbin;
import dev.weft.http.peers.Nginx;
import dev.weft.loop.Task;
import dev.weft.net.TlsOptions;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against real servers on 127.0.0.1, on every backend: nginx (static files, the flag PNGs, gzip and
 * chunked, keep-alive, HTTPS with a certificate made for the test) and httpbin. Each test leaves the pool empty.
 */
@Timeout(60)
class RealServersTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static Nginx nginx;
    private static Httpbin httpbin;

    @BeforeAll
    static void startServers() throws Exception {
        nginx = Nginx.builder().https().start();
        httpbin = Httpbin.start();
    }

    @AfterAll
    static void stopServers() {
        if (nginx != null) {
            nginx.close();
        }
        if (httpbin != null) {
            httpbin.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void nginxServesTextGzippedAndChunkedAndBinaryAsIs(String backend) throws Exception {
        withSession(backend, HttpSession.builder(), session -> {
            try (HttpResponse text = session.get(nginx.baseUrl() + Nginx.TEXT_1M)) {
                assertEquals("gzip", text.headers().first("Content-Encoding"));
                assertEquals("chunked", text.headers().first("Transfer-Encoding"));
                assertArrayEquals(Nginx.expectedBody(Nginx.TEXT_1M), text.bytes());
            }
            try (HttpResponse binary = session.get(nginx.baseUrl() + Nginx.BINARY_1M)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1M), binary.bytes());
            }
            assertEquals(1, session.poolStats().idle(), "one keep-alive connection carried both");
            return null;
        });
    }

    /** The flag downloader's shape: twenty flags at once, at most five connections to the host. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void twentyFlagsAtOnceThroughFiveConnections(String backend) throws Exception {
        List<String> codes = Nginx.flagCodes().subList(0, 20);
        HttpSessionBuilder settings = HttpSession.builder()
                .poolLimits(new PoolLimits(100, 5, 1000, PoolLimits.DEFAULTS.waitTimeout(),
                        PoolLimits.DEFAULTS.keepAlive()));
        withSession(backend, settings, session -> {
            List<Task<byte[]>> downloads = new ArrayList<>();
            try (TaskGroup group = TaskGroup.open()) {
                for (String cc : codes) {
                    downloads.add(group.spawn(() -> {
                        try (HttpResponse flag = session.get(nginx.baseUrl() + "/flags/" + cc + ".png")) {
                            return flag.raiseForStatus().bytes();
                        }
                    }));
                }
            }
            for (Task<byte[]> download : downloads) {
                byte[] png = download.result();
                assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
            }
            assertTrue(session.poolStats().idle() <= 5, "at most five connections: " + session.poolStats());
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpsIsVerifiedAgainstTheTestsOwnCertificateAuthority(String backend) throws Exception {
        HttpSessionBuilder trusting = HttpSession.builder()
                .tls(TlsOptions.client(nginx.certificates().clientContext()));
        withSession(backend, trusting, session -> {
            try (HttpResponse response = session.get(nginx.httpsBaseUrl() + Nginx.BINARY_1K)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            return null;
        });
        withSession(backend, HttpSession.builder(), session -> {
            assertThrows(javax.net.ssl.SSLException.class, () -> session.get(nginx.httpsBaseUrl() + Nginx.BINARY_1K),
                    "the JDK's trust store does not know the test's authority");
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpbinEchoesQueriesJsonAndCompressedBodies(String backend) throws Exception {
        withSession(backend, HttpSession.builder(), session -> {
            try (HttpResponse get = session.get(httpbin.baseUrl() + "/get?flag=cn")) {
                assertEquals(Map.of("flag", "cn"), get.json(Map.class).get("args"));
            }
            try (HttpResponse posted = session.post(httpbin.baseUrl() + "/anything").json(Map.of("n", 1)).send()) {
                assertEquals(Map.of("n", 1), posted.json(Map.class).get("json"));
            }
            for (String encoding : List.of("gzip", "deflate")) {
                try (HttpResponse compressed = session.get(httpbin.baseUrl() + "/" + encoding)) {
                    assertEquals(Boolean.TRUE, compressed.json(Map.class).get(encoding.equals("gzip") ? "gzipped"
                            : "deflated"));
                }
            }
            try (HttpResponse teapot = session.get(httpbin.baseUrl() + "/status/418")) {
                assertEquals(418, teapot.status());
                assertEquals(418, assertThrows(HttpStatusException.class, teapot::raiseForStatus).status());
            }
            try (HttpResponse streamed = session.get(httpbin.baseUrl() + "/stream-bytes/100000?chunk_size=1000")) {
                assertEquals(100_000, streamed.bytes().length);
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void redirectsAreFollowedWithTheirMethodsUpToTheLimit(String backend) throws Exception {
        withSession(backend, HttpSession.builder(), session -> {
            try (HttpResponse followed = session.get(httpbin.baseUrl() + "/redirect/3")) {
                assertEquals(200, followed.status());
                assertEquals(3, followed.history().size());
                assertEquals("/get", followed.url().getPath());
            }
            String to307 = httpbin.baseUrl() + "/redirect-to?url=/anything&status_code=307";
            try (HttpResponse kept = session.post(to307).json(Map.of("n", 1)).send()) {
                Map<?, ?> seen = kept.json(Map.class);
                assertEquals("POST", seen.get("method"), "307 keeps the method");
                assertEquals(Map.of("n", 1), seen.get("json"), "and the body");
            }
            String to303 = httpbin.baseUrl() + "/redirect-to?url=/anything&status_code=303";
            try (HttpResponse rewritten = session.post(to303).json(Map.of("n", 1)).send()) {
                assertEquals("GET", rewritten.json(Map.class).get("method"), "303 turns it into a GET");
            }
            TooManyRedirectsException tooMany = assertThrows(TooManyRedirectsException.class,
                    () -> session.request("GET", httpbin.baseUrl() + "/redirect/5").maxRedirects(2).send());
            assertEquals(3, tooMany.history().size());
            try (HttpResponse unfollowed = session.request("GET", httpbin.baseUrl() + "/redirect/1").maxRedirects(0)
                    .send()) {
                assertEquals(302, unfollowed.status());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void cookiesAreKeptUnlessTurnedOffAndBasicAuthAndQueriesAreSent(String backend) throws Exception {
        withSession(backend, HttpSession.builder(), session -> {
            try (HttpResponse set = session.get(httpbin.baseUrl() + "/cookies/set?flavor=oat")) {
                assertEquals(Map.of("flavor", "oat"), set.json(Map.class).get("cookies"), "sent on the redirect");
            }
            try (HttpResponse again = session.get(httpbin.baseUrl() + "/cookies")) {
                assertEquals(Map.of("flavor", "oat"), again.json(Map.class).get("cookies"), "and after it");
            }
            try (HttpResponse in = session.request("GET", httpbin.baseUrl() + "/basic-auth/ana/s3cret")
                    .basicAuth("ana", "s3cret").send()) {
                assertEquals(Boolean.TRUE, in.json(Map.class).get("authenticated"));
            }
            try (HttpResponse out = session.request("GET", httpbin.baseUrl() + "/basic-auth/ana/s3cret")
                    .basicAuth("ana", "wrong").send()) {
                assertEquals(401, out.status());
            }
            var fields = new java.util.LinkedHashMap<String, String>();
            fields.put("flag", "cn");
            fields.put("note", "a & b = ç");
            try (HttpResponse form = session.post(httpbin.baseUrl() + "/post").form(fields).send()) {
                assertEquals(fields, form.json(Map.class).get("form"));
            }
            try (HttpResponse queried = session.request("GET", httpbin.baseUrl() + "/get?a=1")
                    .query("q", "flags & maps").query("cc", "ç").send()) {
                assertEquals(Map.of("a", "1", "q", "flags & maps", "cc", "ç"), queried.json(Map.class).get("args"));
            }
            return null;
        });
        withSession(backend, HttpSession.builder().cookies(false), session -> {
            try (HttpResponse set = session.get(httpbin.baseUrl() + "/cookies/set?flavor=oat")) {
                assertEquals(Map.of(), set.json(Map.class).get("cookies"), "a session told to keep none");
            }
            return null;
        });
    }
}
