package dev.weft.http;

import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RecordedRequest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interceptors on every backend: their order, a changed request, an answer of their own, and once per send. */
@Timeout(30)
class InterceptorTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void interceptorsRunInTheOrderAddedAndTheirHeadersGoOut(String backend) throws Exception {
        List<String> log = new ArrayList<>();
        HttpSessionBuilder settings = HttpSession.builder()
                .interceptor(chain -> {
                    log.add("outer sees " + chain.request().headers().first("X-Inner"));
                    HttpResponse response = chain.proceed(chain.request().withHeader("X-Outer", "1"));
                    log.add("outer gets " + response.status());
                    return response;
                })
                .interceptor(chain -> {
                    log.add("inner sees X-Outer " + chain.request().headers().first("X-Outer"));
                    HttpResponse response = chain.proceed(chain.request().withHeader("X-Inner", "2"));
                    log.add("inner gets " + response.status());
                    return response;
                });
        try (RawServer server = RawServer.start(c -> {
            while (c.nextRequest()) {
                c.write(RawResponses.ok("hi"));
            }
        })) {
            withSession(backend, settings, session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/x")) {
                    assertEquals("hi", response.text());
                }
                return null;
            });
            assertEquals(List.of("outer sees null", "inner sees X-Outer 1", "inner gets 200", "outer gets 200"), log);
            RecordedRequest sent = server.requests().getFirst();
            assertEquals("1", sent.header("X-Outer"));
            assertEquals("2", sent.header("X-Inner"));
        }
    }

    /** A fake answers without the network: no connection is made, and the body reads as any other. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anInterceptorMayAnswerItself(String backend) throws Exception {
        RecordingTracer tracer = new RecordingTracer();
        HttpSessionBuilder settings = HttpSession.builder().tracer(tracer).interceptor(chain ->
                HttpResponse.of(chain.request(), 200, HttpHeaders.of("Content-Type", "application/json"),
                        "{\"cached\":true}".getBytes(StandardCharsets.UTF_8)));
        withSession(backend, settings, session -> {
            try (HttpResponse response = session.get("http://unreachable.invalid/data")) {
                assertEquals(200, response.status());
                assertEquals(Map.of("cached", true), response.json(Map.class));
                assertEquals(URI.create("http://unreachable.invalid/data"), response.url());
            }
            assertEquals(0, session.poolStats().total());
            assertEquals(List.of(), tracer.events, "nothing went on the wire");
            return null;
        });
    }

    /** An interceptor sees the caller's request and the final answer: redirects and retries happen inside proceed. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anInterceptorRunsOncePerSendAroundRedirectsAndRetries(String backend) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RawServer server = RawServer.start(c -> {
            for (int n = 0; c.nextRequest(); n++) {
                String target = c.lastRequest().target();
                c.write(target.equals("/old") ? "HTTP/1.1 301 Moved\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n"
                        : n == 1 ? RawResponses.status(503, "Service Unavailable", "")
                        : RawResponses.ok("arrived"));
            }
        })) {
            HttpSessionBuilder settings = HttpSession.builder()
                    .retry(RetryPolicy.DEFAULTS.withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)))
                    .interceptor(chain -> {
                        seen.add(chain.request().url().getPath());
                        HttpResponse response = chain.proceed(chain.request());
                        seen.add(response.status() + " " + response.url().getPath());
                        return response;
                    });
            withSession(backend, settings, session -> {
                try (HttpResponse response = session.get(server.baseUrl() + "/old")) {
                    assertEquals("arrived", response.text());
                    assertEquals(1, response.history().size());
                }
                return null;
            });
            assertEquals(List.of("/old", "200 /new"), seen);
            assertEquals(List.of("/old", "/new", "/new"),
                    server.requests().stream().map(RecordedRequest::target).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anInterceptorMaySendTheRequestElsewhere(String backend) throws Exception {
        try (RawServer real = RawServer.start(c -> c.readRequest().write(RawResponses.ok("real")))) {
            HttpSessionBuilder settings = HttpSession.builder().interceptor(chain -> chain.proceed(
                    chain.request().withUrl(URI.create(real.baseUrl() + chain.request().url().getPath()))));
            withSession(backend, settings, session -> {
                try (HttpResponse response = session.get("http://staging.invalid/path")) {
                    assertEquals("real", response.text());
                }
                return null;
            });
            assertEquals("/path", real.requests().getFirst().target());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anInterceptorThatAnswersNothingIsNamed(String backend) throws Exception {
        Interceptor forgetful = chain -> null;
        withSession(backend, HttpSession.builder().interceptor(forgetful), session -> {
            NullPointerException e = assertThrows(NullPointerException.class,
                    () -> session.get("http://127.0.0.1:9/"));
            assertTrue(e.getMessage().contains("returned no response for GET http://127.0.0.1:9/"), e.getMessage());
            return null;
        });
    }
}
