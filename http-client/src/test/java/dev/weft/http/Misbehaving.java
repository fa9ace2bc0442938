package dev.weft.http;

import dev.weft.http.peers.RawConnection;
import dev.weft.http.peers.RawResponses;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RecordedRequest;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that misbehaves on demand, and the check every misbehaving-server case makes. The server answers
 * {@code /ok} with {@code fine} and plays the misbehaviour for any other target, on every connection, and keeps
 * serving a connection the misbehaviour left open: a client that wrongly reused it would read what the misbehaviour
 * left behind as its next answer.
 */
final class Misbehaving {
    static final String GOOD = "fine";

    private Misbehaving() {
    }

    /** What the server does after reading a request that is not for {@code /ok}. */
    @FunctionalInterface
    interface Misbehaviour {
        void play(RawConnection connection) throws IOException, InterruptedException;
    }

    /** A server that answers {@code /ok} well and every other request with the misbehaviour. */
    static RawServer server(Misbehaviour misbehaviour) throws IOException {
        return RawServer.start(c -> {
            while (!c.isClosed() && c.nextRequest()) {
                if (c.lastRequest().target().equals("/ok")) {
                    c.write(RawResponses.ok(GOOD));
                } else {
                    misbehaviour.play(c);
                }
            }
        });
    }

    /** A server that writes {@code response} (ISO-8859-1) to every request but {@code /ok}, and keeps the connection. */
    static RawServer answering(String response) throws IOException {
        return server(c -> c.write(response));
    }

    /**
     * GETs {@code /bad} and reads its body, which must fail with exactly {@code type}, naming each fragment in its message;
     * then checks that no connection was kept and that the next request works, on another connection.
     */
    static <E extends Exception> E refused(HttpSession session, RawServer server, Class<E> type, String... fragments)
            throws Exception {
        E error = assertThrows(type, () -> {
            try (HttpResponse response = session.get(server.baseUrl() + "/bad")) {
                response.bytes();
            }
        });
        assertEquals(type, error.getClass(), "exactly: " + error);
        for (String fragment : fragments) {
            assertTrue(error.getMessage().contains(fragment), "\"" + fragment + "\" in: " + error.getMessage());
        }
        assertNothingKept(session);
        assertNextRequestWorksOnANewConnection(session, server, "/bad");
        return error;
    }

    /** GETs the URL and reads its body as text. */
    static String text(HttpSession session, String url) throws IOException {
        try (HttpResponse response = session.get(url)) {
            return response.text();
        }
    }

    /** Nothing idle and nothing busy: the connection of the exchange that just ended was not kept. */
    static void assertNothingKept(HttpSession session) {
        assertEquals(0, session.poolStats().idle(), "the connection was not kept: " + session.poolStats());
        assertEquals(0, session.poolStats().busy(), "nothing busy: " + session.poolStats());
    }

    /** GET {@code /ok} answers {@code fine}, on another connection than the last request for {@code badTarget}. */
    static void assertNextRequestWorksOnANewConnection(HttpSession session, RawServer server, String badTarget)
            throws IOException {
        try (HttpResponse response = session.get(server.baseUrl() + "/ok")) {
            assertEquals(200, response.status());
            assertEquals(GOOD, response.text());
        }
        List<RecordedRequest> seen = server.requests();
        RecordedRequest good = seen.getLast();
        RecordedRequest bad = seen.reversed().stream().filter(r -> r.target().equals(badTarget)).findFirst()
                .orElseThrow(() -> new AssertionError("no request for " + badTarget + " in " + seen));
        assertEquals("/ok", good.target());
        assertNotEquals(bad.connection(), good.connection(), "the next request took a new connection: " + seen);
    }
}
