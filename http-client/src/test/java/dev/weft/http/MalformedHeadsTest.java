package dev.weft.http;

import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.weft.http.Misbehaving.answering;
import static dev.weft.http.Misbehaving.refused;
import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Misbehaving servers, part one: response heads that break RFC 9112 or the {@link ResponseLimits}. Each is an
 * {@link HttpProtocolException} naming what was wrong (and the limit, which is the remedy, when one was passed), the
 * connection is not reused, and the next request works — on every backend.
 */
@Timeout(30)
class MalformedHeadsTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGarbageStatusLineIsRefused(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.garbageStatusLine())) {
                refused(session, server, HttpProtocolException.class, "malformed status line \"HTPT/1.1 2OO NOT OK\"",
                        "expected HTTP/1.x");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anOverLongStatusLineIsRefusedAtItsLimit(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.longStatusLine(100_000))) {
                refused(session, server, HttpProtocolException.class,
                        "the status line is longer than 8192 bytes (ResponseLimits.maxStatusLineBytes)");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void tooManyHeadersAreRefusedAtTheLimit(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering(RawResponses.manyHeaders(101))) {
                refused(session, server, HttpProtocolException.class,
                        "more than 100 header fields (ResponseLimits.maxHeaders)");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anOverLongHeaderIsRefusedAtTheSectionLimit(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(100_000)
                    + "\r\nContent-Length: 0\r\n\r\n")) {
                refused(session, server, HttpProtocolException.class,
                        "the header section is larger than 65536 bytes (ResponseLimits.maxHeaderBytes)");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aHeaderValueWithABareCrIsRefused(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nX-Split: a\rContent-Length: 1\r\n"
                    + "Content-Length: 0\r\n\r\n")) {
                refused(session, server, HttpProtocolException.class, "malformed header field line",
                        "its value holds CR (0x0d)");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aHeaderValueWithANulIsRefused(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nX-Nul: a\0b\r\nContent-Length: 0\r\n\r\n")) {
                refused(session, server, HttpProtocolException.class, "malformed header field line",
                        "its value holds NUL (0x00)");
            }
            return null;
        });
    }

    /** RFC 9112 §5.2: a user agent replaces obs-fold with a space; the response is sound, so its connection is kept. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void anObsFoldedHeaderIsJoinedWithASpace(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nX-Folded: first\r\n \t second\r\n"
                    + "Content-Length: 4\r\n\r\nbody")) {
                try (HttpResponse response = session.get(server.baseUrl() + "/folded")) {
                    assertEquals("first second", response.headers().first("X-Folded"));
                    assertEquals("body", response.text());
                }
                assertEquals(1, session.poolStats().idle(), "a sound response keeps its connection");
            }
            return null;
        });
    }

    /** RFC 9112 §6.3 item 5: two different lengths leave the body's end unknown; nothing is read as a body. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void conflictingContentLengthsAreRefused(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
                    + "hello!")) {
                refused(session, server, HttpProtocolException.class,
                        "conflicting Content-Length values 5 and 6 (\"5, 6\")");
            }
            return null;
        });
    }

    /** Interim responses are tolerated, but not without end: together they are held to the header section's limit. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aFloodOfInterimResponsesIsRefused(String backend) throws Exception {
        withSession(backend, session -> {
            try (RawServer server = answering("HTTP/1.1 100 Continue\r\n\r\n".repeat(100_000)
                    + RawResponses.ok("late"))) {
                refused(session, server, HttpProtocolException.class, "interim (1xx) responses",
                        "larger than 65536 bytes together (ResponseLimits.maxHeaderBytes");
            }
            return null;
        });
    }
}
