package dev.weft.http;

import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RecordedRequest;
import dev.weft.loop.BrokenResourceException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static dev.weft.http.Misbehaving.GOOD;
import static dev.weft.http.Misbehaving.assertNextRequestWorksOnANewConnection;
import static dev.weft.http.Misbehaving.assertNothingKept;
import static dev.weft.http.Misbehaving.refused;
import static dev.weft.http.Misbehaving.server;
import static dev.weft.http.Misbehaving.text;
import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Misbehaving servers, part three: connections that break, stall or go away. A reset is a
 * {@link BrokenResourceException}; a server too slow is a {@link HttpTimeoutException} of the limit that ran out; a
 * keep-alive connection the server closed is retried once for an idempotent request and never for another. Each on
 * every backend, each followed by a request that must work on a new connection.
 */
@Timeout(30)
class MisbehavingConnectionsTest {
    private static final Duration DRIP = Duration.ofMillis(20);

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aResetInTheHeadIsABrokenConnection(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write("HTTP/1.1 200 OK\r\nContent-Le").reset())) {
                refused(session, server, BrokenResourceException.class, "connection reset by peer");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aResetInTheBodyIsABrokenConnection(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = server(c -> c.write(RawResponses.headOnly(100) + "the first part").reset())) {
                refused(session, server, BrokenResourceException.class, "connection reset by peer");
            }
            return null;
        });
    }

    /** Bytes keep coming, each within the read timeout: the total timeout is what ends the request. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aSlowDripIsEndedByTheTotalTimeoutNotTheReadTimeout(String backend) throws Exception {
        HttpTimeouts timeouts = HttpTimeouts.DEFAULTS.withTotal(Duration.ofMillis(800))
                .withRead(Duration.ofMillis(400));
        withSession(backend, HttpSession.builder().timeouts(timeouts), session -> {
            try (RawServer server = server(c -> c.drip(RawResponses.ok("x".repeat(200)), DRIP))) {
                HttpTimeoutException timeout = refused(session, server, HttpTimeoutException.class,
                        "not done within PT0.8S (the total timeout of HttpTimeouts)");
                assertEquals(HttpTimeoutException.Kind.TOTAL, timeout.kind());
                assertEquals(Duration.ofMillis(800), timeout.limit());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aServerThatNeverAnswersIsAReadTimeoutNamingItsLimit(String backend) throws Exception {
        HttpTimeouts timeouts = HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(300));
        withSession(backend, HttpSession.builder().timeouts(timeouts), session -> {
            try (RawServer server = server(c -> c.awaitClientClose())) {
                HttpTimeoutException timeout = refused(session, server, HttpTimeoutException.class,
                        "no bytes of the response within PT0.3S (the read timeout of HttpTimeouts)");
                assertEquals(HttpTimeoutException.Kind.READ, timeout.kind());
                assertEquals(Duration.ofMillis(300), timeout.limit());
            }
            return null;
        });
    }

    /** The read timeout is between bytes: a body that stalls after its first part times out too. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyThatStallsIsAReadTimeout(String backend) throws Exception {
        HttpTimeouts timeouts = HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(300));
        withSession(backend, HttpSession.builder().timeouts(timeouts), session -> {
            try (RawServer server = server(c -> c.write(RawResponses.headOnly(100) + "the first part")
                    .awaitClientClose())) {
                HttpTimeoutException timeout = refused(session, server, HttpTimeoutException.class,
                        "within PT0.3S (the read timeout of HttpTimeouts)");
                assertEquals(HttpTimeoutException.Kind.READ, timeout.kind());
            }
            return null;
        });
    }

    /**
     * The server closes a kept connection just as the next request arrives, before answering it (an idle timeout
     * racing the request): a GET is sent again, once, on a fresh connection.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anIdempotentRequestOnAConnectionClosedUnderItIsRetried(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = closingAfterOneAnswer()) {
                assertEquals(GOOD, text(session, server.baseUrl() + "/first"));
                assertEquals(GOOD, text(session, server.baseUrl() + "/again"));
                assertEquals(List.of("#0 /first", "#0 /again", "#1 /again"), seen(server));
            }
            return null;
        });
    }

    /** The same for a POST: it may have had an effect, so it is not sent again; the error says why. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aPostOnAConnectionClosedUnderItIsNotRetried(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = closingAfterOneAnswer()) {
                assertEquals(GOOD, text(session, server.baseUrl() + "/first"));
                HttpProtocolException closed = assertThrows(HttpProtocolException.class,
                        () -> session.post(server.baseUrl() + "/order").text("one pizza").send());
                assertTrue(closed.getMessage().contains("the connection closed before the response to POST began"),
                        closed.getMessage());
                assertTrue(closed.getMessage().contains(
                        "the client sends only idempotent requests again, once: repeat any other yourself"), closed.getMessage());
                assertNothingKept(session);
                assertEquals(List.of("#0 /first", "#0 /order"), seen(server), "the POST was sent once");
                assertNextRequestWorksOnANewConnection(session, server, "/order");
            }
            return null;
        });
    }

    /** Answers one request on its first connection, reads the next and closes; answers all on the others. */
    private static RawServer closingAfterOneAnswer() throws IOException {
        return RawServer.start(c -> {
            if (c.index() == 0) {
                c.readRequest().write(RawResponses.ok(GOOD)).readRequest().close();
                return;
            }
            while (c.nextRequest()) {
                c.write(RawResponses.ok(GOOD));
            }
        });
    }

    private static List<String> seen(RawServer server) {
        return server.requests().stream().map((RecordedRequest r) -> "#" + r.connection() + " " + r.target()).toList();
    }
}
