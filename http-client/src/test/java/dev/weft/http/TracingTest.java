package dev.weft.http;

import dev.weft.http.peers.Nginx;
import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.Tinyproxy;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.UnhandledError;
import dev.weft.net.TlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events an {@link HttpTracer} is told, in order, for new, reused, https, queued and failed connections. */
@Timeout(60)
class TracingTest {
    private static final List<String> ANSWERED_ON_A_NEW_CONNECTION = List.of("connectStart", "connectEnd",
            "connectionAcquired", "requestHeadersSent", "responseStarted", "done");

    private static Nginx nginx;
    private static Tinyproxy proxy;

    @BeforeAll
    static void startPeers() throws Exception {
        nginx = Nginx.builder().https().start();
        proxy = Tinyproxy.start();
    }

    @AfterAll
    static void stopPeers() {
        if (nginx != null) {
            nginx.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aNewConnectionIsMadeThenReused(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write(RawResponses.ok("hi"));
            }
        })) {
            withSession(backend, HttpSession.builder().tracer(tracer), session -> {
                try (HttpResponse first = session.get(server.baseUrl() + "/first")) {
                    assertEquals("hi", first.text());
                }
                assertEquals(ANSWERED_ON_A_NEW_CONNECTION, tracer.names());
                assertEquals("connectEnd 127.0.0.1:" + server.port(), tracer.lines().get(1));
                assertEquals("connectionAcquired reused=false", tracer.lines().get(2));
                assertEquals("done 200 kept=true", tracer.lines().getLast());
                tracer.events.clear();

                try (HttpResponse second = session.post(server.baseUrl() + "/second").text("body").send()) {
                    assertEquals("hi", second.text());
                }
                assertEquals(List.of("connectionAcquired reused=true", "requestHeadersSent", "requestBodySent 4",
                        "responseStarted", "done 200 kept=true"), tracer.lines());
                assertTrue(tracer.events.stream().allMatch(e -> e.trace().request().url().getPath().equals("/second")
                        && e.trace().attempt() == 1), tracer.events.toString());
                assertInTimeOrder(tracer);
                return null;
            });
        }
    }

    /** A name is looked up (localhost), connected to, and TLS is done before the connection is handed over. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpsThroughAHostNameTellsDnsConnectAndTls(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        HttpSessionBuilder settings = HttpSession.builder().tracer(tracer)
                .tls(TlsOptions.client(nginx.certificates().clientContext()));
        withSession(backend, settings, session -> {
            try (HttpResponse response = session.get(nginx.httpsBaseUrl() + Nginx.TEXT_1K)) {
                assertEquals(200, response.status());
                response.bytes();
            }
            assertEquals(List.of("dnsStart", "dnsEnd", "connectStart", "connectEnd", "tlsDone", "connectionAcquired",
                    "requestHeadersSent", "responseStarted", "done"), tracer.names());
            assertEquals("dnsStart localhost", tracer.lines().getFirst());
            assertEquals("connectEnd 127.0.0.1:" + nginx.httpsPort(),
                    tracer.lines().get(3), "nginx listens on 127.0.0.1 only");
            assertEquals("https", tracer.events.getFirst().trace().origin().scheme());
            assertInTimeOrder(tracer);
            return null;
        });
    }

    /** Through a proxy's tunnel: the connect is to the proxy, and TLS is done with the origin through it. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpsThroughAProxysTunnelTellsTheConnectToTheProxyAndTlsWithTheOrigin(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        HttpSessionBuilder settings = HttpSession.builder().tracer(tracer).proxy(proxy.url())
                .tls(TlsOptions.client(nginx.certificates().clientContext()));
        withSession(backend, settings, session -> {
            try (HttpResponse response = session.get(nginx.httpsBaseUrl() + Nginx.TEXT_1K)) {
                assertEquals(200, response.status());
                response.bytes();
            }
            assertEquals(List.of("connectStart", "connectEnd 127.0.0.1:" + proxy.port(), "tlsDone",
                    "connectionAcquired reused=false", "requestHeadersSent", "responseStarted", "done 200 kept=true"),
                    tracer.lines(), "the proxy's address is a literal: no lookup; the origin's name is the proxy's");
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRefusedConnectIsToldAsAFailure(String backend) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RecordingTracer tracer = new RecordingTracer();
        withSession(backend, HttpSession.builder().tracer(tracer), session -> {
            assertThrows(ConnectException.class, () -> session.get("http://127.0.0.1:" + closedPort + "/"));
            assertEquals(List.of("connectStart", "failed ConnectException"), tracer.lines());
            return null;
        });
    }

    /** With one connection per host, a second request at the same time waits in the queue and gets the first's. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRequestThatWaitsForTheOnlyConnectionIsToldQueuedThenGetsItReused(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        PoolLimits oneConnection = new PoolLimits(1, 1, 10, PoolLimits.DEFAULTS.waitTimeout(),
                PoolLimits.DEFAULTS.keepAlive());
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write(RawResponses.ok(c.lastRequest().target()));
            }
        })) {
            withSession(backend, HttpSession.builder().tracer(tracer).poolLimits(oneConnection), session -> {
                Task<String> first = Tasks.spawn(() -> {
                    try (HttpResponse r = session.get(server.baseUrl() + "/a")) {
                        return r.text();
                    }
                });
                Task<String> second = Tasks.spawn(() -> {
                    try (HttpResponse r = session.get(server.baseUrl() + "/b")) {
                        return r.text();
                    }
                });
                assertEquals("/a", first.await());
                assertEquals("/b", second.await());
                List<String> ofB = tracer.events.stream()
                        .filter(e -> e.trace().request().url().getPath().equals("/b")).map(e -> e.line()).toList();
                assertEquals(List.of("poolQueued", "connectionAcquired reused=true", "requestHeadersSent",
                        "responseStarted", "done 200 kept=true"), ofB);
                assertEquals(1, server.connections());
                return null;
            });
        }
    }

    /** A tracer's bug is reported to the loop's exception handler; the request goes on and its connection is kept. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aTracerThatThrowsDoesNotBreakTheRequest(String backend) throws Exception {
        HttpTracer broken = new HttpTracer() {
            @Override
            public void connectionAcquired(TraceContext trace, boolean reused) {
                throw new IllegalStateException("a bug in the tracer");
            }
        };
        List<UnhandledError> reported = new ArrayList<>();
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write(RawResponses.ok("fine"));
            }
        })) {
            withSession(backend, HttpSession.builder().tracer(broken), session -> {
                EventLoop.current().setExceptionHandler((loop, error) -> reported.add(error));
                try (HttpResponse response = session.get(server.baseUrl() + "/")) {
                    assertEquals("fine", response.text());
                }
                assertEquals(1, session.poolStats().idle());
                return null;
            });
        }
        assertEquals(1, reported.size());
        assertEquals("a bug in the tracer", reported.getFirst().exception().getMessage());
        assertTrue(reported.getFirst().message().contains("the request goes on"), reported.getFirst().message());
    }

    private static void assertInTimeOrder(RecordingTracer tracer) {
        for (int i = 1; i < tracer.events.size(); i++) {
            assertTrue(tracer.events.get(i - 1).trace().time() <= tracer.events.get(i).trace().time(),
                    "events in the order of the loop's clock: " + tracer.events);
        }
    }
}
