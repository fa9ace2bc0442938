package dev.weft.http;

import dev.weft.http.peers.Httpbin;
import dev.weft.http.peers.Nginx;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RecordedRequest;
import dev.weft.http.peers.Tinyproxy;
import dev.weft.net.TlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests through a real HTTP proxy (tinyproxy) to real servers (nginx, httpbin), on every backend: plain http
 * forwarded in absolute form, https through a CONNECT tunnel with TLS to the origin, Basic credentials for the proxy,
 * NO_PROXY, and where credentials may and may not go. The proxy's log proves which requests went through it.
 */
@Timeout(60)
class ProxyTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "s3cret";

    private static Nginx nginx;
    private static Httpbin httpbin;
    private static Tinyproxy proxy;
    private static Tinyproxy authProxy;

    @BeforeAll
    static void startServers() throws Exception {
        nginx = Nginx.builder().https()
                .serverConfig("location = /headers { return 200 \"[$http_proxy_authorization]\"; }").start();
        httpbin = Httpbin.start();
        proxy = Tinyproxy.start();
        authProxy = Tinyproxy.builder().basicAuth(USER, PASSWORD).start();
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable server : new AutoCloseable[] {authProxy, proxy, httpbin, nginx}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void plainHttpIsSentToTheProxyInAbsoluteForm(String backend) throws Exception {
        int before = proxy.requests().size();
        String url = nginx.baseUrl() + Nginx.BINARY_1K;
        withSession(backend, HttpSession.builder().proxy(proxy.url()), session -> {
            try (HttpResponse response = session.get(url)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            try (HttpResponse response = session.get(httpbin.baseUrl() + "/get?via=proxy")) {
                assertEquals(Map.of("via", "proxy"), response.json(Map.class).get("args"));
            }
            return null;
        });
        assertEquals(List.of("GET " + url + " HTTP/1.1", "GET " + httpbin.baseUrl() + "/get?via=proxy HTTP/1.1"),
                proxy.requests().subList(before, proxy.requests().size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpsGoesThroughOneTunnelVerifiedAgainstTheOrigin(String backend) throws Exception {
        int before = proxy.requests().size();
        HttpSessionBuilder settings = HttpSession.builder().proxy(proxy.url())
                .tls(TlsOptions.client(nginx.certificates().clientContext()));
        withSession(backend, settings, session -> {
            for (int i = 0; i < 2; i++) {
                try (HttpResponse response = session.get(nginx.httpsBaseUrl() + Nginx.BINARY_1M)) {
                    assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1M), response.bytes());
                }
            }
            Origin origin = new Origin("https", "localhost", nginx.httpsPort());
            assertEquals(new PoolStats.HostStats(1, 0, 0, 0), session.poolStats().host(origin),
                    "the tunnel is kept for the next request: " + session.poolStats());
            return null;
        });
        assertEquals(List.of("CONNECT localhost:" + nginx.httpsPort() + " HTTP/1.1"),
                proxy.requests().subList(before, proxy.requests().size()), "one tunnel carried both requests");
        withSession(backend, HttpSession.builder().proxy(proxy.url()), session -> {
            assertThrows(javax.net.ssl.SSLException.class, () -> session.get(nginx.httpsBaseUrl() + "/headers"),
                    "the origin's certificate is verified through the tunnel: the JDK does not trust the test CA");
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void theProxysCredentialsOpenItAndNeverReachTheOrigin(String backend) throws Exception {
        String withCredentials = "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + authProxy.port();
        HttpSessionBuilder settings = HttpSession.builder().proxy(withCredentials)
                .tls(TlsOptions.client(nginx.certificates().clientContext()));
        withSession(backend, settings, session -> {
            try (HttpResponse response = session.get(nginx.baseUrl() + Nginx.BINARY_1K)) {
                assertEquals(200, response.status());
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            try (HttpResponse response = session.get(nginx.httpsBaseUrl() + "/headers")) {
                assertEquals("[]", response.text(), "the tunnelled request carries no Proxy-Authorization");
            }
            try (HttpResponse response = session.request("GET", nginx.httpsBaseUrl() + "/headers")
                    .header("Proxy-Authorization", "Basic b3duOmNyZWRlbnRpYWxz").send()) {
                assertEquals("[]", response.text(), "not even its own: through the tunnel it would reach the origin");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aProxyWantingCredentialsRefusesTheTunnelNamingWhatIsWrong(String backend) throws Exception {
        String https = nginx.httpsBaseUrl() + Nginx.BINARY_1K;
        withSession(backend, HttpSession.builder().proxy(authProxy.url()), session -> {
            var none = assertThrows(ProxyRefusedException.class, () -> session.get(https));
            assertEquals(407, none.status());
            assertEquals(new Origin("https", "localhost", nginx.httpsPort()), none.target());
            assertTrue(none.getMessage().contains("the proxy URL has none"), none.getMessage());
            try (HttpResponse forwarded = session.get(nginx.baseUrl() + Nginx.BINARY_1K)) {
                assertEquals(407, forwarded.status(), "a forwarded request gets the proxy's answer as its own");
            }
            return null;
        });
        String wrong = "http://" + USER + ":wrong@127.0.0.1:" + authProxy.port();
        withSession(backend, HttpSession.builder().proxy(wrong), session -> {
            var refused = assertThrows(ProxyRefusedException.class, () -> session.get(https));
            assertEquals(401, refused.status(), "tinyproxy answers wrong credentials with 401 where RFC 9110 says 407");
            assertTrue(refused.getMessage().contains("password of user 'alice'")
                    && !refused.getMessage().contains("wrong"), refused.getMessage());
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void noProxySendsItsHostsDirectlyAndARedirectAsksAgain(String backend) throws Exception {
        int before = proxy.requests().size();
        String direct = nginx.baseUrl() + Nginx.BINARY_1K;
        String redirect = httpbin.baseUrl() + "/redirect-to?url=" + URLEncoder.encode(direct, StandardCharsets.UTF_8);
        Map<String, String> environment = Map.of("http_proxy", proxy.url(), "NO_PROXY", "127.0.0.1:" + nginx.port());
        withSession(backend, HttpSession.builder().trustEnv(environment), session -> {
            try (HttpResponse response = session.get(direct)) {
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            try (HttpResponse response = session.get(redirect)) {
                assertEquals(302, response.history().getFirst().status());
                assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.bytes());
            }
            return null;
        });
        assertEquals(List.of("GET " + redirect + " HTTP/1.1"), proxy.requests().subList(before,
                proxy.requests().size()), "only httpbin's request went through the proxy; nginx's went directly");
        withSession(backend, HttpSession.builder().trustEnv(environment), session -> {
            try (HttpResponse response = session.request("GET", direct).proxy(proxy.url()).send()) {
                assertEquals(200, response.status());
            }
            return null;
        });
        assertEquals("GET " + direct + " HTTP/1.1", proxy.requests().getLast(), "a request's own proxy wins");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aProxyThatNeverAnswersTheConnectRunsOutTheConnectTimeout(String backend) throws Exception {
        try (RawServer silent = RawServer.start(c -> c.readRequest().hang())) {
            HttpSessionBuilder settings = HttpSession.builder().proxy(silent.baseUrl())
                    .timeouts(HttpTimeouts.DEFAULTS.withConnect(Duration.ofMillis(300)));
            withSession(backend, settings, session -> {
                var e = assertThrows(HttpTimeoutException.class, () -> session.get("https://origin.test/"));
                assertEquals(HttpTimeoutException.Kind.CONNECT, e.kind());
                assertTrue(e.getMessage().contains("https://origin.test:443 via http://127.0.0.1:" + silent.port()),
                        e.getMessage());
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aConnectCarriesTheProxysCredentialsAndNoneOfTheOrigins(String backend) throws Exception {
        try (RawServer refusing = RawServer.start(c -> c.readRequest()
                .write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))) {
            String viaRaw = "http://" + USER + ":" + PASSWORD + "@127.0.0.1:" + refusing.port();
            withSession(backend, HttpSession.builder().proxy(viaRaw), session -> {
                var e = assertThrows(ProxyRefusedException.class, () -> session.request("GET", "https://origin.test/")
                        .basicAuth("origin-user", "origin-password").header("Cookie", "a=b").send());
                assertEquals(403, e.status());
                assertTrue(e.getMessage().contains("forbids"), e.getMessage());
                return null;
            });
            refusing.awaitScripts(1, Duration.ofSeconds(10));
            RecordedRequest connect = refusing.requests().getFirst();
            assertEquals("CONNECT", connect.method());
            assertEquals("origin.test:443", connect.target());
            assertEquals(HttpProxy.parse(viaRaw).authorization(), connect.header("Proxy-Authorization"));
            assertNull(connect.header("Authorization"), connect.head());
            assertNull(connect.header("Cookie"), connect.head());
            assertFalse(connect.head().contains("origin-user"), connect.head());
        }
    }
}
