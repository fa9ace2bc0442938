package dev.weft.http;

import dev.weft.http.peers.WebSocketPeer;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.net.TlsOptions;
import dev.weft.scope.TaskGroup;
import dev.weft.scope.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket client against a real server, python3-websockets on 127.0.0.1 ({@link WebSocketPeer}), on every
 * backend: echo of text and binary with and without permessage-deflate, both context modes, close codes both ways,
 * fragments with a ping between them, pings from the server, limits and a compression bomb, a refused handshake,
 * cancellation, the heartbeat, and wss:// with a certificate made for the test.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class WebSocketTest {
    private static WebSocketPeer peer;
    private static WebSocketPeer tlsPeer;

    @BeforeAll
    static void startPeers() throws Exception {
        peer = WebSocketPeer.start();
        tlsPeer = WebSocketPeer.startTls();
    }

    @AfterAll
    static void stopPeers() {
        if (peer != null) {
            peer.close();
        }
        if (tlsPeer != null) {
            tlsPeer.close();
        }
    }

    private static WebSocketOptions uncompressed() {
        return WebSocketOptions.DEFAULTS.withCompress(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void echoesTextAndBinaryCompressedOrNotAndTheConnectionLeavesThePool(String backend) throws Exception {
        byte[] big = new byte[1 << 20];
        new Random(13).nextBytes(big);
        withSession(backend, session -> {
            for (boolean compress : new boolean[] {true, false}) {
                try (WebSocket ws = session.webSocket(peer.url("/echo"),
                        WebSocketOptions.DEFAULTS.withCompress(compress))) {
                    assertEquals(compress, ws.compressed());
                    assertEquals(0, session.poolStats().total(), "the upgraded connection left the pool");
                    for (String text : List.of("héllo wörld ✓", "", "héllo wörld ✓ again")) {
                        ws.sendText(text);
                        assertEquals(new WebSocketMessage.Text(text), ws.receive());
                    }
                    ws.sendBinary(big); // 16 frames of 64 KiB
                    assertArrayEquals(big, ws.receive().asBytes());
                    ws.close();
                    assertEquals(1000, ws.closeCode(), "the peer answered our close");
                    assertNull(ws.receive(), "a closed socket's reads end");
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aServerWithoutContextTakeoverAndASmallerWindowIsUnderstood(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.freshContextUrl("/echo"))) {
                assertTrue(ws.compressed());
                for (int i = 0; i < 5; i++) {
                    String text = "the same words again and again, " + i;
                    ws.sendText(text);
                    assertEquals(text, ws.receive().asText());
                }
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void theServersCloseEndsTheReadsAndTheIterationAndSendsThenThrow(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/close/4001"))) {
                List<WebSocketMessage> messages = new ArrayList<>();
                for (WebSocketMessage message : ws) {
                    messages.add(message);
                }
                assertEquals(List.of(), messages);
                assertEquals(4001, ws.closeCode());
                assertEquals("bye", ws.closeReason());
                assertTrue(ws.isClosed());
                assertNull(ws.receive());
                var e = assertThrows(ClosedResourceException.class, () -> ws.sendText("late"));
                assertEquals("WebSocket.sendText(): the WebSocket to " + peer.url("/close/4001")
                        + " was closed by the peer (4001 bye)", e.getMessage());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBigMessageArrivesWholeAndFragmentsJoinAroundAPing(String backend) throws Exception {
        int n = 3_000_000;
        byte[] expected = new byte[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (byte) (i % 251);
        }
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/big/" + n))) {
                assertArrayEquals(expected, ws.receive().asBytes());
            }
            try (WebSocket ws = session.webSocket(peer.url("/fragments"), uncompressed())) {
                assertEquals(new WebSocketMessage.Text("alphabetagamma"), ws.receive());
            }
            try (WebSocket ws = session.webSocket(peer.url("/ping"))) {
                assertEquals("pong received", ws.receive().asText(), "the server's ping was answered");
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aMessagePastTheLimitClosesWith1009AsSentOrOnceInflated(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/big/200000"),
                    uncompressed().withMaxMessageBytes(100_000))) {
                var e = assertThrows(WebSocketMessageTooBigException.class, ws::receive);
                assertEquals(1009, e.closeCode());
                assertEquals(100_000, e.limit());
                assertEquals(1009, ws.closeCode());
                assertNull(ws.receive());
            }
            // 20 MB of '0' is a few KiB compressed: the limit is on what it inflates to, checked as it grows.
            try (WebSocket ws = session.webSocket(peer.url("/zeros/20000000"),
                    WebSocketOptions.DEFAULTS.withMaxMessageBytes(1 << 20))) {
                assertTrue(ws.compressed());
                var e = assertThrows(WebSocketMessageTooBigException.class, ws::receive);
                assertTrue(e.getMessage().contains("once inflated"), e.getMessage());
                assertEquals(1009, ws.closeCode());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void extraHeadersAndAChosenSubprotocol(String backend) throws Exception {
        withSession(backend, session -> {
            WebSocketOptions options = WebSocketOptions.DEFAULTS.withHeaders(HttpHeaders.of("X-Test", "yes"))
                    .withSubprotocols("nope", "superchat");
            try (WebSocket ws = session.webSocket(peer.url("/header/X-Test"), options)) {
                assertEquals("yes", ws.receive().asText());
            }
            try (WebSocket ws = session.webSocket(peer.url("/info"), options)) {
                assertEquals("superchat", ws.subprotocol());
                assertEquals("superchat permessage-deflate", ws.receive().asText());
            }
            try (WebSocket ws = session.webSocket(peer.url("/info"), uncompressed())) {
                assertNull(ws.subprotocol());
                assertEquals("- -", ws.receive().asText());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aRefusedHandshakeCarriesTheStatusAndTheShortBody(String backend) throws Exception {
        withSession(backend, session -> {
            var e = assertThrows(WebSocketHandshakeException.class, () -> session.webSocket(peer.url("/reject")));
            assertEquals(403, e.status());
            assertEquals("no entry here\n", e.body());
            assertEquals("the WebSocket handshake with " + peer.url("/reject") + " failed: the server answered 403 "
                    + "Forbidden instead of 101 Switching Protocols: no entry here", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> session.webSocket("ftp://127.0.0.1/x"));
            assertThrows(IllegalArgumentException.class, () -> session.webSocket(peer.url("/echo#frag")));
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aReceiveCancelledByATimeoutLeavesTheSocketUsable(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/echo"))) {
                assertNull(Timeout.orNull(Duration.ofMillis(50), ws::receive), "nothing came: timed out");
                ws.sendText("after the timeout");
                assertEquals("after the timeout", ws.receive().asText());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aHeartbeatThePeerAnswersKeepsTheSocketOpen(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/echo"),
                    WebSocketOptions.DEFAULTS.withHeartbeat(Duration.ofMillis(20)))) {
                // Fifteen intervals with no message: the pongs keep it alive.
                assertNull(Timeout.orNull(Duration.ofMillis(300), ws::receive));
                assertFalse(ws.isClosed());
                ws.sendText("still here");
                assertEquals("still here", ws.receive().asText());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void closeWhileAnotherTaskReceivesEndsThatTasksReads(String backend) throws Exception {
        withSession(backend, session -> {
            try (WebSocket ws = session.webSocket(peer.url("/echo"))) {
                Future<Void> first = EventLoop.current().createFuture();
                Task<List<WebSocketMessage>> reader;
                try (TaskGroup group = TaskGroup.open()) {
                    reader = group.spawn(() -> {
                        List<WebSocketMessage> got = new ArrayList<>();
                        for (WebSocketMessage message : ws) {
                            got.add(message);
                            first.setResult(null);
                        }
                        return got;
                    });
                    ws.sendText("one");
                    first.await();
                    ws.close(3000, "done"); // the reader is waiting in receive(), or about to be
                }
                assertEquals(3000, ws.closeCode(), "the peer echoed our code");
                assertEquals(List.of(new WebSocketMessage.Text("one")), reader.result());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void closingTheSessionClosesItsOpenSockets(String backend) throws Exception {
        withSession(backend, session -> {
            WebSocket ws = session.webSocket(peer.url("/echo"));
            session.close();
            assertTrue(ws.isClosed());
            assertEquals(1001, ws.closeCode(), "going away");
            assertNull(ws.receive(), "closed by this side: the reads end");
            var e = assertThrows(ClosedResourceException.class, () -> ws.sendText("late"));
            assertEquals("WebSocket.sendText(): the WebSocket to " + peer.url("/echo") + " was closed by this side: "
                    + "its HttpSession was closed", e.getMessage());
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void wssIsVerifiedAgainstTheTestsOwnCertificateAuthority(String backend) throws Exception {
        HttpSessionBuilder trusting = HttpSession.builder()
                .tls(TlsOptions.client(tlsPeer.certificates().clientContext()));
        withSession(backend, trusting, session -> {
            try (WebSocket ws = session.webSocket(tlsPeer.url("/echo"))) {
                ws.sendText("over TLS");
                assertEquals("over TLS", ws.receive().asText());
            }
            return null;
        });
        withSession(backend, session -> {
            var e = assertThrows(java.io.IOException.class, () -> session.webSocket(tlsPeer.url("/echo")));
            assertInstanceOf(javax.net.ssl.SSLException.class, e, "untrusted: " + e);
            return null;
        });
    }
}
