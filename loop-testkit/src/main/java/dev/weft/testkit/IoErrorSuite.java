package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.IncompleteReadException;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.weft.testkit.StreamTests.fillAcceptQueue;
import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One I/O error family on every backend: each network failure a task can meet is an {@link IOException} of one type
 * with one message, whatever the backend, and carries the backend's own exception as its cause. The messages are
 * asserted whole, so a backend whose words leak through fails here.
 *
 * <p>What loopback can produce is tested here: refused, reset (seen by a read and by a write), broken pipe, an EOF in
 * the middle of a read, a network that is unreachable (a TCP connect to a multicast address fails with
 * {@code ENETUNREACH} at once, routes or not), and a connect that times out (a listener whose accept queue is full
 * drops SYNs). A host that is unreachable ({@code EHOSTUNREACH}) needs a real network; {@code SocketErrorsTest}
 * checks its mapping on every backend's wording.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class IoErrorSuite extends LoopSuite {

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    @Test
    void aRefusedConnectIsAConnectExceptionNamingThePeer() throws IOException {
        int port = freePort();
        IOException refused = run(() -> connectFailure(() -> Streams.openConnection(LOCALHOST, port)));
        assertEquals(ConnectException.class, refused.getClass());
        assertEquals("connection refused by 127.0.0.1:" + port, refused.getMessage());
        assertCausedByTheBackend(refused);
    }

    /** The prober's case: a reset while reading lines, caught by an ordinary catch (IOException). */
    @Test
    void aResetSeenByAReadLoopIsCaughtAsAnIOException() throws Exception {
        assertThePeersEndReadsAsAReset(true, c -> { }, c -> {
            String line;
            while ((line = c.reader().readLine()) != null) {
                fail("the peer sent nothing, yet a line came: " + line);
            }
            fail("a reset ended the stream as an EOF");
        });
    }

    /** The reader is paused, so the write is what meets the reset. */
    @Test
    void aResetSeenByAWriteIsTheSameBrokenResourceException() throws Exception {
        assertThePeersEndReadsAsAReset(true, c -> c.writer().transport().pauseReading(), c -> {
            throw writeUntilItFails(c);
        });
    }

    /**
     * The peer closes; we read its EOF and go on writing: its kernel answers with a reset, and the next write meets a
     * broken pipe (EPIPE) or the reset (ECONNRESET). Both mean the peer is gone, and read the same.
     */
    @Test
    void aBrokenPipeReadsAsTheResetItIs() throws Exception {
        assertThePeersEndReadsAsAReset(false, c -> { }, c -> {
            assertNull(c.reader().readLine(), "the peer's EOF");
            throw writeUntilItFails(c);
        });
    }

    /** What a test does with its connection, before the peer ends it or to meet that end. */
    @FunctionalInterface
    private interface ConnectionStep {
        void run(StreamConnection c) throws IOException;
    }

    /**
     * Connect to a peer on a foreign thread, {@code prepare}, let the peer end the connection (with a reset, or a
     * plain close), then {@code meetTheEnd}: what the latter throws, caught by {@code catch (IOException)}, must be
     * the one reset error with the one message, the backend's exception as its cause.
     */
    private void assertThePeersEndReadsAsAReset(boolean reset, ConnectionStep prepare, ConnectionStep meetTheEnd)
            throws Exception {
        try (ServerSocketChannel listener = listener()) {
            int port = port(listener);
            CompletableFuture<Void> endNow = new CompletableFuture<>();
            LoopSuite.ForeignThread<Void> peer = onForeignThread(() -> acceptAndEnd(listener, reset, endNow));
            IOException caught = run(() -> {
                try (StreamConnection c = Streams.openConnection(LOCALHOST, port)) {
                    prepare.run(c);
                    endNow.complete(null);
                    Async.await(peer.result());
                    meetTheEnd.run(c);
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            assertEquals(BrokenResourceException.class, caught.getClass());
            assertEquals("connection reset by peer 127.0.0.1:" + port, caught.getMessage());
            assertCausedByTheBackend(caught);
        }
    }

    @Test
    void anEofInTheMiddleOfAReadIsAnEofException() throws IOException {
        List<Object> seen = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> writer.write("12345"), LOCALHOST, 0);
            try {
                List<Object> errors = new ArrayList<>(List.of(server.port()));
                for (int i = 0; i < 2; i++) {
                    try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                        StreamReader reader = c.reader();
                        if (i == 0) {
                            reader.readExactly(10);
                        } else {
                            reader.readUntil(new byte[]{';'});
                        }
                        fail("read past the end");
                    } catch (IOException e) {
                        errors.add(e);
                    }
                }
                try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                    // readLine, as BufferedReader's, returns an unterminated last line, then the end
                    assertEquals("12345", c.reader().readLine());
                    assertNull(c.reader().readLine());
                }
                return errors;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        String peer = "127.0.0.1:" + seen.get(0);
        IncompleteReadException exactly = assertInstanceOf(IncompleteReadException.class, seen.get(1));
        assertInstanceOf(EOFException.class, exactly);
        assertEquals("the stream from " + peer + " ended after 5 of the 10 bytes readExactly asked for",
                exactly.getMessage());
        assertEquals(10, exactly.expected());
        IncompleteReadException until = assertInstanceOf(IncompleteReadException.class, seen.get(2));
        assertEquals("the stream from " + peer + " ended after 5 bytes without the separator readUntil looked for",
                until.getMessage());
        assertNull(until.getCause(), "an end of stream is no backend's error");
    }

    /** A TCP connect to a multicast address fails with ENETUNREACH at once, on a machine with only loopback too. */
    @Test
    void anUnreachableNetworkIsANoRouteToHostException() throws IOException {
        IOException unreachable = run(() -> connectFailure(() -> Streams.openConnection("224.0.0.1", 9)));
        assertEquals(NoRouteToHostException.class, unreachable.getClass());
        assertEquals("no route to 224.0.0.1:9: the network is unreachable", unreachable.getMessage());
        assertCausedByTheBackend(unreachable);
    }

    /**
     * A listener with a backlog of one that never accepts: once its queue is full the kernel drops the next SYN, and
     * the connect waits until its timeout. The message names the address once, the limit and what to do; nothing
     * failed in the backend, so there is no cause.
     */
    @Test
    void aConnectTimeoutIsASocketTimeoutExceptionNamingTheAddressOnceTheLimitAndTheRemedy() throws IOException {
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(new InetSocketAddress(LOCALHOST, 0), 1);
            int port = port(blackHole);
            List<Socket> fillers = fillAcceptQueue(blackHole.getLocalAddress());
            try {
                SocketOptions quick = SocketOptions.DEFAULTS.withConnectTimeout(Duration.ofMillis(200));
                IOException timedOut = run(() -> connectFailure(
                        () -> Streams.openConnection(LOCALHOST, port, quick)));
                assumeTrue(timedOut != null, "this kernel answered a SYN to a listener whose accept queue was full");
                assertEquals(SocketTimeoutException.class, timedOut.getClass());
                assertEquals("cannot connect to 127.0.0.1:" + port + " within 200 ms: no answer; check that the host "
                        + "is up and reachable, or allow longer with SocketOptions.withConnectTimeout",
                        timedOut.getMessage());
                assertNull(timedOut.getCause(), "Weft's own timer ended it");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** Addresses print as host:port, and still equal the JDK's own. */
    @Test
    void connectionAndServerAddressesPrintAsHostAndPort() {
        List<Object> seen = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> reader.readAll(), LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                SocketAddress remote = c.writer().remoteAddress();
                return List.of(server.port(), remote, c.writer().localAddress().toString(), c.writer().toString(),
                        server.addresses().getFirst().toString());
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        int port = (int) seen.get(0);
        assertEquals("127.0.0.1:" + port, seen.get(1).toString());
        assertEquals(new InetSocketAddress(LOCALHOST, port), seen.get(1));
        assertEquals(seen.get(1), new InetSocketAddress(LOCALHOST, port));
        assertTrue(((String) seen.get(2)).startsWith("127.0.0.1:"), (String) seen.get(2));
        assertFalse(((String) seen.get(3)).contains("/127.0.0.1"), (String) seen.get(3));
        assertEquals("127.0.0.1:" + port, seen.get(4));
    }

    // ---- helpers

    @FunctionalInterface
    private interface Connect {
        StreamConnection open() throws IOException;
    }

    /** The IOException a connect fails with, caught as any program would; null if it connected. */
    private static IOException connectFailure(Connect connect) {
        try (StreamConnection ignored = connect.open()) {
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    /**
     * Write a KiB at a time, letting the loop turn between writes (a native backend sends on its next poll), until a
     * write or drain fails; fail the test if none does within 1000 writes.
     */
    private static IOException writeUntilItFails(StreamConnection c) {
        byte[] chunk = new byte[1024];
        for (int i = 0; i < 1000; i++) {
            try {
                c.writer().write(chunk);
                c.writer().drain();
            } catch (IOException e) {
                return e;
            }
            oneLoopTurn();
        }
        throw new AssertionError("1000 writes to a peer that is gone went through");
    }

    private static void oneLoopTurn() {
        Future<Void> turned = EventLoop.current().createFuture();
        EventLoop.current().callSoon(() -> turned.setResult(null));
        turned.await();
    }

    /**
     * Accept one connection and, once told (the client's connect must have completed first, or the reset is the
     * connect's), end it: with a reset (SO_LINGER 0), or with an orderly close.
     */
    private static Void acceptAndEnd(ServerSocketChannel listener, boolean reset, CompletableFuture<Void> now)
            throws Exception {
        try (SocketChannel accepted = listener.accept()) {
            now.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (reset) {
                accepted.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        }
        return null;
    }

    private static ServerSocketChannel listener() throws IOException {
        return ServerSocketChannel.open().bind(new InetSocketAddress(LOCALHOST, 0));
    }

    /** A port nothing listens on: bound, then closed again. */
    private static int freePort() throws IOException {
        try (ServerSocketChannel reserved = listener()) {
            return port(reserved);
        }
    }

    private static int port(ServerSocketChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    /** The backend's own exception is the cause: an I/O error that is not Weft's, with words of its own. */
    private static void assertCausedByTheBackend(IOException error) {
        Throwable cause = error.getCause();
        assertInstanceOf(IOException.class, cause, "the backend's exception is the cause of " + error);
        assertFalse(cause.getClass().getName().startsWith("dev.weft."), "a backend's, not Weft's: " + cause);
        assertFalse(error.getMessage().equals(cause.getMessage()), "Weft's words, not the backend's: " + cause);
    }

}
