package dev.weft.http;

import dev.weft.http.peers.RawConnection;
import dev.weft.http.peers.RawServer;
import dev.weft.http.peers.RawWebSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket client against servers on raw sockets that break RFC 6455 on purpose, on every backend: each breach
 * ends in the right close code sent to the server, a typed error naming it, and a socket whose reads then end.
 */
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class WebSocketMisbehaviourTest {

    /** A server that accepts, sends {@code bytes}, and reads the client's answer. */
    private record Breach(String name, byte[] bytes, int code, String says) {
    }

    private static final List<Breach> BREACHES = List.of(
            new Breach("masked", RawWebSocket.frame(0x81, true, "hi".getBytes(StandardCharsets.UTF_8)), 1002,
                    "a server's frame was masked"),
            new Breach("bad opcode", RawWebSocket.frame(0x3, new byte[0]), 1002, "reserved opcode 0x3"),
            new Breach("RSV1 without deflate", RawWebSocket.frame(0xC1, false, new byte[] {'x'}), 1002,
                    "no extension that uses it was negotiated"),
            new Breach("fragmented ping", RawWebSocket.frame(0x09, false, new byte[0]), 1002, "is fragmented"),
            new Breach("invalid UTF-8", RawWebSocket.frame(0x1, new byte[] {(byte) 0xC3, 0x28}), 1007,
                    "not valid UTF-8"),
            new Breach("lone continuation", RawWebSocket.frame(0x0, new byte[] {'x'}), 1002,
                    "no fragmented message to continue"),
            new Breach("new message inside one", concat(RawWebSocket.frame(0x01, false, new byte[] {'a'}),
                    RawWebSocket.text("b")), 1002, "began a new message"),
            new Breach("close code 1005", RawWebSocket.close(1005), 1002, "closed with code 1005"),
            new Breach("one-byte close", RawWebSocket.frame(0x8, new byte[] {3}), 1002, "half a code"),
            // The header of a 1 MiB frame and nothing else: refused from its length, nothing allocated or awaited.
            new Breach("too long", Arrays.copyOf(RawWebSocket.frame(0x2, new byte[1 << 20]), 10), 1009,
                    "past the limit of 1000"));

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void eachBreachClosesWithItsCodeAndATypedError(String backend) throws Exception {
        Map<Integer, Integer> answered = new ConcurrentHashMap<>();
        try (RawServer server = RawServer.start(connection -> {
            RawWebSocket.accept(connection);
            connection.write(BREACHES.get(connection.index()).bytes());
            answered.put(connection.index(), RawWebSocket.readClose(connection).closeCode());
            connection.close();
        })) {
            withSession(backend, session -> {
                for (Breach breach : BREACHES) {
                    try (WebSocket ws = session.webSocket("ws://127.0.0.1:" + server.port() + "/",
                            WebSocketOptions.DEFAULTS.withCompress(false).withMaxMessageBytes(1000))) {
                        var e = assertThrows(WebSocketException.class, ws::receive, breach.name());
                        assertEquals(breach.code(), e.closeCode(), breach.name() + ": " + e.getMessage());
                        assertTrue(e.getMessage().contains(breach.says()), breach.name() + ": " + e.getMessage());
                        assertEquals(breach.code(), ws.closeCode());
                        assertNull(ws.receive(), "the reads end after a breach");
                    }
                }
                return null;
            });
            server.awaitScripts(BREACHES.size(), Duration.ofSeconds(10));
            assertEquals(List.of(), server.scriptErrors());
            for (int i = 0; i < BREACHES.size(); i++) {
                assertEquals(BREACHES.get(i).code(), answered.get(i), BREACHES.get(i).name() + ": the client's close");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void controlFramesBetweenFragmentsAreHandledAndThePingAnswered(String backend) throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (RawServer server = RawServer.start(connection -> {
            RawWebSocket.accept(connection);
            connection.write(concat(RawWebSocket.frame(0x01, false, bytes("frag")),
                    RawWebSocket.frame(0x9, bytes("p")), RawWebSocket.frame(0xA, bytes("unasked")),
                    RawWebSocket.frame(0x00, false, bytes("ment")), RawWebSocket.frame(0x80, false, bytes("ed"))));
            RawWebSocket.Frame pong = RawWebSocket.read(connection);
            seen.put("pong", pong.opcode() + " " + new String(pong.payload(), StandardCharsets.UTF_8));
            connection.write(RawWebSocket.close(1001));
            seen.put("close", Integer.toString(RawWebSocket.readClose(connection).closeCode()));
            connection.close();
        })) {
            withSession(backend, session -> {
                try (WebSocket ws = session.webSocket("ws://127.0.0.1:" + server.port() + "/")) {
                    assertEquals(new WebSocketMessage.Text("fragmented"), ws.receive());
                    assertNull(ws.receive(), "the server closed");
                    assertEquals(1001, ws.closeCode());
                }
                return null;
            });
            server.awaitScripts(1, Duration.ofSeconds(10));
            assertEquals(List.of(), server.scriptErrors());
            assertEquals(Map.of("pong", "10 p", "close", "1001"), seen, "the ping answered, the close echoed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aConnectionEndingInsideAFragmentedMessageIs1006(String backend) throws Exception {
        try (RawServer server = RawServer.start(connection -> {
            RawWebSocket.accept(connection);
            connection.write(RawWebSocket.frame(0x01, false, bytes("unfinished")));
            connection.close();
        })) {
            withSession(backend, session -> {
                try (WebSocket ws = session.webSocket("ws://127.0.0.1:" + server.port() + "/chat")) {
                    var e = assertThrows(WebSocketException.class, ws::receive);
                    assertEquals(1006, e.closeCode());
                    assertEquals("ws://127.0.0.1:" + server.port() + "/chat ended the connection without a close "
                            + "frame, in the middle of a fragmented message (1006)", e.getMessage());
                    assertNull(ws.receive());
                    assertThrows(dev.weft.loop.ClosedResourceException.class, () -> ws.sendText("late"));
                }
                return null;
            });
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aPeerThatNeverAnswersTheCloseIsAbortedAfterTheCloseTimeout(String backend) throws Exception {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        try (RawServer server = RawServer.start(connection -> {
            RawWebSocket.accept(connection);
            seen.put("close", RawWebSocket.readClose(connection).closeCode());
            connection.hang(); // no answer: holds the connection until the client gives up on it
        })) {
            withSession(backend, session -> {
                WebSocket ws = session.webSocket("ws://127.0.0.1:" + server.port() + "/",
                        WebSocketOptions.DEFAULTS.withCloseTimeout(Duration.ofMillis(200)));
                ws.close(4000, "leaving");
                assertEquals(1006, ws.closeCode(), "no close frame came back");
                assertTrue(ws.isClosed());
                assertNull(ws.receive());
                return null;
            });
            server.awaitScripts(1, Duration.ofSeconds(15));
            assertEquals(List.of(), server.scriptErrors());
            assertEquals(4000, seen.get("close"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aSilentPeerIsTakenForGoneByTheHeartbeat(String backend) throws Exception {
        try (RawServer server = RawServer.start(connection -> {
            RawWebSocket.accept(connection);
            connection.awaitClientClose(); // reads the pings, answers none
        })) {
            withSession(backend, session -> {
                try (WebSocket ws = session.webSocket("ws://127.0.0.1:" + server.port() + "/",
                        WebSocketOptions.DEFAULTS.withHeartbeat(Duration.ofMillis(50)))) {
                    var e = assertThrows(WebSocketException.class, ws::receive);
                    assertEquals(1006, e.closeCode());
                    assertTrue(e.getMessage().contains("for the heartbeat interval of PT0.05S after a ping"),
                            e.getMessage());
                    assertNull(ws.receive());
                }
                return null;
            });
            server.awaitScripts(1, Duration.ofSeconds(10));
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBrokenSwitchIsAHandshakeErrorAndItsConnectionIsClosed(String backend) throws Exception {
        List<String> answers = List.of(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: bogus\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Extensions: permessage-deflate; "
                        + "client_max_window_bits=10\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: %s\r\nSec-WebSocket-Protocol: chat\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n");
        List<String> says = List.of("answered Sec-WebSocket-Accept 'bogus', not '",
                "the server asked for client_max_window_bits=10, which was not offered",
                "chose the subprotocol 'chat', which was not offered", "switched to 'h2c', not to websocket");
        try (RawServer server = RawServer.start(connection -> {
            connection.readHead();
            String accept = RawWebSocket.acceptFor(connection.lastRequest().header("Sec-WebSocket-Key"));
            connection.write(answers.get(connection.index()).formatted(accept));
            connection.awaitClientClose();
        })) {
            withSession(backend, session -> {
                for (int i = 0; i < answers.size(); i++) {
                    var e = assertThrows(WebSocketHandshakeException.class,
                            () -> session.webSocket("ws://127.0.0.1:" + server.port() + "/"));
                    assertEquals(101, e.status());
                    assertTrue(e.getMessage().contains(says.get(i)), e.getMessage());
                }
                assertEquals(0, session.poolStats().total(), "a broken 101 is never pooled");
                return null;
            });
            server.awaitScripts(answers.size(), Duration.ofSeconds(10));
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
