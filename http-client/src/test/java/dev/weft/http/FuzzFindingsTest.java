package dev.weft.http;

import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What hostile input found, each fixed and kept here as a regression test named after the input. The values a
 * server controls that the client copies into its next request (a redirect's Location, a cookie) are input too: a
 * bad one must fail the exchange with an {@link HttpProtocolException}, never with the IllegalArgumentException that
 * the request API keeps for the caller's own mistakes.
 */
@Timeout(30)
class FuzzFindingsTest {

    /** {@code Transfer-Encoding:} with no coding beside a Content-Length: a framing two readers may take apart. */
    @Test
    void transferEncodingEmptyBesideAContentLength() {
        String response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\nContent-Length: 2\r\n\r\nok";
        List<String> lines = ParserProperties.response(ResponseLimits.DEFAULTS, "GET",
                response.getBytes(StandardCharsets.ISO_8859_1), new int[] {20}, true);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.getFirst().startsWith("Error unsupported Transfer-Encoding \"\""), lines.getFirst());
    }

    /**
     * {@code Sec-WebSocket-Extensions: ,;} (Jazzer, {@code ParserFuzzTestInputs/fieldValues/crash-4261e92f...}): an
     * extension that is nothing but a semicolon threw ArrayIndexOutOfBoundsException out of the handshake, and left
     * its response open.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void secWebSocketExtensionsCommaSemicolon(String backend) throws Exception {
        var refused = assertThrows(WebSocketDeflate.Refused.class,
                () -> WebSocketDeflate.negotiate(List.of(",;"), true));
        assertTrue(refused.getMessage().contains("an extension with no name"), refused.getMessage());
        try (RawServer server = RawServer.start(connection -> {
            connection.readHead();
            String key = connection.lastRequest().header("Sec-WebSocket-Key");
            connection.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + RawWebSocket.acceptFor(key)
                    + "\r\nSec-WebSocket-Extensions: ,;\r\n\r\n");
        })) {
            withSession(backend, session -> {
                var e = assertThrows(WebSocketHandshakeException.class,
                        () -> session.webSocket("ws://127.0.0.1:" + server.port() + "/"));
                assertTrue(e.getMessage().contains("an extension with no name"), e.getMessage());
                return null;
            });
        }
    }

    /** {@code Location: http:///landing}: an http URL with no host. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void locationHttpTripleSlashWithNoHost(String backend) throws Exception {
        refusedRedirect(backend, "http:///landing", "names no host");
    }

    /** {@code Location: http://[}: no URI at all (this one was refused before, but left its connection busy). */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void locationHttpOpenBracket(String backend) throws Exception {
        refusedRedirect(backend, "http://[", "is no URI");
    }

    /** {@code Location: http://127.0.0.1:99999/}: a port past 65535. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void locationWithPort99999(String backend) throws Exception {
        refusedRedirect(backend, "http://127.0.0.1:99999/", "99999");
    }

    /**
     * {@code Location: /caf\xc3\xa9}, UTF-8 bytes as servers send them: followed, percent-encoded byte by byte, as
     * browsers and curl do.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void locationWithUtf8BytesCafe(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(
                    request.requestLine().startsWith("GET /start ")
                            ? "HTTP/1.1 302 Found\r\nLocation: /caf\u00c3\u00a9\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1)
                            : TestServer.response(200, "landed").getBytes(StandardCharsets.UTF_8)))) {
                try (HttpResponse response = session.get(server.url("/start"))) {
                    assertEquals("landed", response.text());
                }
                assertEquals("GET /caf%C3%A9 HTTP/1.1", server.requests().get(1).requestLine());
            }
            return null;
        });
    }

    /** {@code Set-Cookie: a=b\x01c}: a control character in a cookie, which no request may carry. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void setCookieWithControlByte01(String backend) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(
                    "HTTP/1.1 200 OK\r\nSet-Cookie: a=b\u0001c\r\nSet-Cookie: good=1\r\nContent-Length: 0\r\n\r\n"))) {
                session.get(server.url("/first")).close();
                session.get(server.url("/second")).close();
                String cookie = server.requests().get(1).header("Cookie");
                assertTrue(cookie == null || !cookie.contains("\u0001"), cookie);
            }
            return null;
        });
    }

    private static void refusedRedirect(String backend, String location, String says) throws Exception {
        withSession(backend, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(
                    "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n"))) {
                var refused = assertThrows(HttpProtocolException.class, () -> session.get(server.url("/start")));
                assertTrue(refused.getMessage().contains(location) && refused.getMessage().contains(says),
                        refused.getMessage());
                assertEquals(1, server.requests().size(), "nothing sent after the redirect");
            }
            return null;
        });
    }
}
