package dev.weft.http;

import dev.weft.http.peers.Httpbin;
import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RecordedRequest;
import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retries on every backend: against raw servers that fail a given number of times (reset, 503, silence) and then
 * answer, and httpbin's {@code /status/503}. Waits are asserted on the loop clock's times the tracer recorded.
 */
@Timeout(60)
class RetryTest {
    /** Three attempts with waits of a few milliseconds: the tests are about which attempts are made, not how fast. */
    private static final RetryPolicy QUICK = RetryPolicy.DEFAULTS
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(4));

    private static Httpbin httpbin;

    @BeforeAll
    static void startHttpbin() throws Exception {
        httpbin = Httpbin.start();
    }

    @AfterAll
    static void stopHttpbin() {
        if (httpbin != null) {
            httpbin.close();
        }
    }

    /** A server that resets the first two connections before answering: the third attempt gets the answer. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aConnectionResetBeforeTheAnswerIsRetriedOnANewOne(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        try (RawServer server = RawServer.start(c -> {
            c.readRequest();
            if (c.index() < 2) {
                c.reset();
            } else {
                c.write(RawResponses.ok("third time"));
            }
        })) {
            withSession(backend, HttpSession.builder().retry(QUICK).tracer(tracer), session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/flaky")) {
                    assertEquals("third time", response.text());
                }
                assertEquals(List.of(0, 1, 2), server.requests().stream().map(RecordedRequest::connection).toList());
                List<RecordingTracer.Event> retries = tracer.named("retrying");
                assertEquals(2, retries.size(), tracer.lines().toString());
                assertTrue(retries.getFirst().line().contains("broke before any byte of the answer"),
                        retries.getFirst().line());
                assertEquals(List.of(1, 1, 2, 2, 3), tracer.events.stream()
                        .filter(e -> List.of("connectionAcquired", "retrying").contains(e.name()))
                        .map(e -> e.trace().attempt()).toList());
                assertEquals(List.of("failed", "retrying"), namesAround(tracer, "retrying"));
                return null;
            });
        }
    }

    /** 503 with {@code Retry-After: 1}: the next attempt waits that second, measured on the loop's clock. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void retryAfterInSecondsIsWaitedFor(String backend) throws Exception {
        retryAfterIsWaitedFor(backend, "1");
    }

    /** 503 with {@code Retry-After} as an HTTP-date one second after the response's {@code Date}. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void retryAfterAsAnHttpDateIsWaitedFor(String backend) throws Exception {
        retryAfterIsWaitedFor(backend, null);
    }

    private void retryAfterIsWaitedFor(String backend, String seconds) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        try (RawServer server = RawServer.start(c -> {
            for (int n = 0; c.nextRequest(); n++) {
                if (n == 0) {
                    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
                    String retryAfter = seconds != null ? seconds
                            : DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(1));
                    c.write("HTTP/1.1 503 Service Unavailable\r\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(now) + "\r\nRetry-After: " + retryAfter + "\r\nContent-Length: 4\r\n\r\nbusy");
                } else {
                    c.write(RawResponses.ok("ready"));
                }
            }
        })) {
            withSession(backend, HttpSession.builder().retry(QUICK).tracer(tracer), session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/busy")) {
                    assertEquals("ready", response.text());
                }
                assertEquals(2, server.requests().size());
                assertEquals(1, server.connections(), "the 503's short body was read off and its connection kept");
                RecordingTracer.Event retrying = tracer.named("retrying").getFirst();
                assertTrue(retrying.line().startsWith("retrying 2 after 1000 ms: status 503"), retrying.line());
                long waited = tracer.named("connectionAcquired").getLast().trace().time() - retrying.trace().time();
                assertTrue(waited >= Duration.ofSeconds(1).toNanos(), "waited " + waited + " ns");
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRetryAfterLongerThanTheLimitOrTheDeadlineIsNotWaitedFor(String backend) throws Exception {
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n");
            }
        })) {
            HttpSessionBuilder settings = HttpSession.builder().retry(QUICK)
                    .timeouts(HttpTimeouts.DEFAULTS.withTotal(Duration.ofSeconds(20)));
            withSession(backend, settings, session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/later")) {
                    assertEquals(503, response.status(), "past maxRetryAfter (60 s): the answer is the 503");
                }
                RetryPolicy patient = QUICK.withMaxRetryAfter(Duration.ofMinutes(5));
                HttpRequest bounded = session.request("GET", server.baseUrl() + "/later").retry(patient);
                try (HttpResponse response = bounded.send()) {
                    assertEquals(503, response.status(), "the wait would pass the total deadline (20 s)");
                }
                assertEquals(2, server.requests().size(), "each sent once");
                return null;
            });
        }
    }

    /** A POST is not idempotent: its 503 is the answer, unless the policy names POST. Its body goes again whole. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aPostIsRetriedOnlyWhenThePolicySaysSoAndThenWithItsWholeBody(String backend) throws Exception {
        try (RawServer server = RawServer.start(c -> {
            Set<String> seen = new HashSet<>(); // each body is refused the first time
            while (c.nextRequest()) {
                String body = c.lastRequest().bodyText();
                c.write(seen.add(body) ? RawResponses.status(503, "Service Unavailable", "") : RawResponses.ok(body));
            }
        })) {
            withSession(backend, HttpSession.builder().retry(QUICK), session -> {
                try (HttpResponse response = session.post(server.baseUrl() + "/order").text("one pizza").send()) {
                    assertEquals(503, response.status());
                }
                assertEquals(1, server.requests().size());
                try (HttpResponse response = session.post(server.baseUrl() + "/order").text("two pizzas")
                        .retry(QUICK.withMethods("POST")).send()) {
                    assertEquals("two pizzas", response.text());
                }
                assertEquals(List.of("one pizza", "two pizzas", "two pizzas"),
                        server.requests().stream().map(RecordedRequest::bodyText).toList());
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRefusedConnectIsRetriedUpToTheLimitThenThrown(String backend) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RecordingTracer tracer = new RecordingTracer();
        withSession(backend, HttpSession.builder().retry(QUICK).tracer(tracer), session -> {
            assertThrows(ConnectException.class, () -> session.get("http://127.0.0.1:" + closedPort + "/"));
            assertEquals(List.of("connectStart", "failed", "retrying", "connectStart", "failed", "retrying",
                    "connectStart", "failed"), tracer.names());
            return null;
        });
    }

    /** A server that never answers the first attempt: the read timeout ends it, and the second attempt is answered. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aReadTimeoutIsRetried(String backend) throws Exception {
        try (RawServer server = RawServer.start(c -> {
            c.readRequest();
            if (c.index() == 0) {
                c.hang();
            } else {
                c.write(RawResponses.ok("awake"));
            }
        })) {
            HttpSessionBuilder settings = HttpSession.builder().retry(QUICK)
                    .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(200)));
            withSession(backend, settings, session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/sleepy")) {
                    assertEquals("awake", response.text());
                }
                assertEquals(2, server.requests().size());
                return null;
            });
        }
    }

    /** The wait between attempts is a timer on the loop: cancelling the request's task ends it at once. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void cancellingDuringTheWaitEndsTheRequest(String backend) throws Exception {
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n");
            }
        })) {
            RecordingTracer tracer = new RecordingTracer();
            withSession(backend, HttpSession.builder().retry(QUICK).tracer(tracer), session -> {
                Future<Void> waiting = Async.loop().createFuture();
                tracer.onEvent(e -> {
                    if (e.name().equals("retrying")) {
                        waiting.setResult(null);
                    }
                });
                Task<HttpResponse> request = Tasks.spawn(() -> session.get(server.baseUrl() + "/wait"));
                waiting.await();
                request.cancel();
                assertThrows(CancellationException.class, request::await);
                assertEquals(1, server.requests().size());
                assertEquals(1, session.poolStats().idle(), "the 503 was read off before the wait");
                return null;
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void httpbinsServiceUnavailableIsTriedThreeTimesThenReturned(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        withSession(backend, HttpSession.builder().retry(QUICK).tracer(tracer), session -> {
            try (HttpResponse response = session.get(httpbin.baseUrl() + "/status/503")) {
                assertEquals(503, response.status(), "the last attempt's answer");
            }
            assertEquals(3, tracer.named("requestHeadersSent").size());
            assertEquals(List.of("done 503 kept=false", "done 503 kept=false", "done 503 kept=false"),
                    tracer.named("done").stream().map(RecordingTracer.Event::line).toList(),
                    "Werkzeug closes every connection");
            return null;
        });
    }

    /** The name of each event just before and at the first one named so. */
    private static List<String> namesAround(RecordingTracer tracer, String name) {
        List<String> names = tracer.names();
        int at = names.indexOf(name);
        return names.subList(at - 1, at + 1);
    }
}
