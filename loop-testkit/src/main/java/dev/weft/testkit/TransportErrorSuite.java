package dev.weft.testkit;

import dev.weft.loop.BrokenResourceException;
import dev.weft.net.TransportClosedException;
import dev.weft.loop.Future;
import dev.weft.loop.UnhandledError;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.weft.testkit.StreamTests.fillAcceptQueue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What goes wrong, typed by cause and naming the address: refused, timed out, taken; used after close (closed by
 * us); reset by the peer (broken from outside); a protocol callback that throws; a transport touched from another
 * thread. None of it hangs, and {@code connectionLost} still comes exactly once, last.
 *
 * <p>Peers that misbehave are plain JDK sockets on a thread of their own: the backend under test cannot be asked to
 * reset a connection.
 */
public abstract class TransportErrorSuite extends AbstractTransportSuite {

    /** A port bound to a socket that does not listen: connecting to it is refused, and nobody else takes it. */
    @Test
    void connectRefusedIsAConnectExceptionNamingTheAddress() throws IOException {
        try (Socket reserved = new Socket()) {
            reserved.bind(LOCALHOST);
            SocketAddress address = reserved.getLocalSocketAddress();
            RecordingProtocol protocol = new RecordingProtocol(loop);
            Throwable failure = run(() -> failureOf(net().connect(address, protocol, SocketOptions.DEFAULTS)));
            assertInstanceOf(ConnectException.class, failure);
            assertTrue(failure.getMessage().contains("127.0.0.1:" + reserved.getLocalPort()), failure.getMessage());
            assertTrue(failure.getMessage().contains("refused"), failure.getMessage());
            assertEquals(List.of(), protocol.events(), "no callback for a connection that never was");
        }
    }

    /**
     * A listener with a backlog of one that never accepts: once its queue is full (Linux queues backlog + 1), the
     * kernel drops the next SYN and the connect hangs until its timeout. The timeout error is a SocketTimeoutException
     * naming the address once and the timeout in milliseconds, and never comes early.
     */
    @Test
    void connectTimeoutIsASocketTimeoutExceptionNamingTheAddressAndTheTimeout() throws IOException {
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(LOCALHOST, 1);
            SocketAddress address = blackHole.getLocalAddress();
            List<Socket> fillers = fillAcceptQueue(address);
            try {
                Duration timeout = Duration.ofMillis(200);
                List<Object> seen = run(() -> {
                    long start = loop.time();
                    Future<StreamTransport> connect = net().connect(address, new RecordingProtocol(),
                            SocketOptions.DEFAULTS.withConnectTimeout(timeout));
                    Throwable failure = failureOf(connect);
                    return List.of(failure == null ? "connected" : failure, loop.time() - start);
                });
                assumeTrue(!"connected".equals(seen.get(0)), "this kernel answered a SYN to a listener whose accept "
                        + "queue was full, so no connect can be made to hang on loopback here");
                Throwable failure = (Throwable) seen.get(0);
                assertInstanceOf(java.net.SocketTimeoutException.class, failure);
                int port = ((InetSocketAddress) address).getPort();
                assertEquals("cannot connect to 127.0.0.1:" + port + " within 200 ms: no answer; check that the host "
                        + "is up and reachable, or allow longer with SocketOptions.withConnectTimeout",
                        failure.getMessage());
                assertTrue((long) seen.get(1) >= timeout.toNanos(), "timed out early: " + seen.get(1) + " ns");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    /** Cancelling the connect's future gives the connect up: no transport, no callback. */
    @Test
    void cancellingAConnectAbandonsIt() throws IOException {
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(LOCALHOST, 1);
            SocketAddress address = blackHole.getLocalAddress();
            List<Socket> fillers = fillAcceptQueue(address);
            try {
                RecordingProtocol protocol = new RecordingProtocol(loop);
                Future<StreamTransport> connect = run(() -> {
                    Future<StreamTransport> pending = net().connect(address, protocol,
                            SocketOptions.DEFAULTS.withConnectTimeout(NEVER));
                    pending.cancel();
                    return pending;
                });
                assertTrue(connect.isCancelled());
                assertEquals(List.of(), protocol.events());
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }


    @Test
    void usingATransportAfterCloseIsATransportClosedException() {
        List<Object> seen = run(() -> {
            Server server = listen(EchoProtocol::new);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            transport.close();
            List<Object> result = new ArrayList<>();
            result.add(transport.isClosing());
            result.add(assertThrows(TransportClosedException.class, () -> transport.write(utf8("after close"))));
            result.add(assertThrows(TransportClosedException.class, transport::writeEof));
            transport.close(); // idempotent
            transport.abort();
            result.add(client.lost().await());
            result.add(assertThrows(TransportClosedException.class, () -> transport.write(utf8("after lost"))));
            server.close();
            result.add(client);
            return result;
        });
        assertEquals(true, seen.get(0));
        assertNull(seen.get(3), "closed by us: connectionLost(null)");
        assertEquals(List.of("made", "lost"), ((RecordingProtocol) seen.get(5)).events());
    }

    @Test
    void writingAfterWriteEofIsATransportClosedException() {
        run(() -> {
            Server server = listen(RecordingProtocol::new);
            StreamTransport transport = connect(server, new RecordingProtocol());
            transport.writeEof();
            assertThrows(TransportClosedException.class, () -> transport.write(utf8("after EOF")));
            transport.close();
            server.close();
            return null;
        });
    }

    /** abort() drops what is buffered and ends the connection now; connectionLost(null) once. */
    @Test
    void abortDropsBufferedDataAndLosesTheConnectionOnce() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(StreamTransport transport) {
                super.connectionMade(transport);
                transport.pauseReading();
            }
        });
        List<Object> seen = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            accepted.nth(0).await().made().await();
            transport.setWriteBufferLimits(Integer.MAX_VALUE, 0);
            while (transport.writeBufferSize() == 0) {
                transport.write(ByteBuffer.allocate(1024 * 1024));
            }
            transport.abort();
            int bufferedAfter = transport.writeBufferSize();
            boolean closing = transport.isClosing();
            transport.abort();
            transport.close();
            Throwable cause = client.lost().await();
            server.closeClients();
            return List.of(client, bufferedAfter, closing, cause == null ? "none" : cause);
        });
        assertEquals(List.of("made", "lost"), ((RecordingProtocol) seen.get(0)).events());
        assertEquals(0, seen.get(1), "nothing buffered after abort");
        assertEquals(true, seen.get(2));
        assertEquals("none", seen.get(3));
    }

    /** The peer resets the connection mid-stream (SO_LINGER 0, then close): connectionLost gets a broken error. */
    @Test
    void aPeerResetMidStreamBreaksTheConnection() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
        Throwable cause = run(() -> {
            Server server = listen(accepted);
            SocketAddress address = server.addresses().getFirst();
            CompletableFuture<Void> resetNow = new CompletableFuture<>();
            Future<Void> peer = resetByPeer(address, "half a request", resetNow);
            RecordingProtocol serverSide = accepted.nth(0).await();
            serverSide.received("half a request".length()).await();
            resetNow.complete(null);
            peer.await();
            Throwable lost = serverSide.lost().await();
            server.close();
            return lost;
        });
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertInstanceOf(BrokenResourceException.class, cause, "connectionLost's cause");
        assertInstanceOf(IOException.class, cause.getCause(), "the JDK's I/O error inside");
        assertEquals(List.of("made", "data", "lost"), serverSide.events());
    }

    /**
     * A peer that resets while we write to it — our buffer full, OP_WRITE pending — breaks the connection too;
     * writing afterwards fails as closed.
     */
    @Test
    void aPeerThatVanishesWhileWeWriteBreaksTheConnection() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(StreamTransport transport) {
                super.connectionMade(transport);
                while (transport.writeBufferSize() == 0) { // fill the socket: the peer never reads
                    transport.write(ByteBuffer.allocate(256 * 1024));
                }
            }
        });
        List<Object> seen = run(() -> {
            Server server = listen(accepted);
            SocketAddress address = server.addresses().getFirst();
            CompletableFuture<Void> resetNow = new CompletableFuture<>();
            Future<Void> peer = resetByPeer(address, "", resetNow);
            RecordingProtocol serverSide = accepted.nth(0).await();
            serverSide.made().await();
            resetNow.complete(null);
            peer.await();
            Throwable lost = serverSide.lost().await();
            Throwable writeAfter = assertThrows(TransportClosedException.class,
                    () -> serverSide.transport().write(utf8("anyone there?")));
            server.close();
            return List.of(serverSide, lost, writeAfter);
        });
        RecordingProtocol serverSide = (RecordingProtocol) seen.get(0);
        Throwable cause = (Throwable) seen.get(1);
        assertInstanceOf(BrokenResourceException.class, cause);
        assertInstanceOf(IOException.class, cause.getCause());
        assertEquals(List.of("made", "lost"), serverSide.eventsWithout("pause", "resume"));
    }

    /**
     * A peer on a thread of its own: connects, sends the text, waits for the signal, then resets the connection
     * (SO_LINGER 0 and close sends RST instead of FIN).
     */
    private Future<Void> resetByPeer(SocketAddress address, String text, CompletableFuture<Void> signal) {
        return loop.runInExecutor(null, () -> {
            try (Socket peer = new Socket()) {
                peer.connect(address);
                peer.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
                signal.get();
                peer.setSoLinger(true, 0);
            }
            return null;
        });
    }

    @Test
    void listeningOnATakenPortIsABindExceptionNamingIt() {
        List<Object> seen = run(() -> {
            Server first = listen(RecordingProtocol::new, SocketOptions.DEFAULTS.withReuseAddress(true));
            int port = portOf(first.addresses().getFirst());
            Throwable failure = failureOf(net().listen(new InetSocketAddress("127.0.0.1", port),
                    RecordingProtocol::new, SocketOptions.DEFAULTS));
            first.close();
            return List.of(port, failure);
        });
        Throwable failure = (Throwable) seen.get(1);
        assertInstanceOf(BindException.class, failure);
        assertTrue(failure.getMessage().contains("127.0.0.1:" + seen.get(0)), failure.getMessage());
    }

    /** A protocol callback that throws reaches the loop's exception handler and aborts only its connection. */
    @Test
    void aProtocolCallbackThatThrowsAbortsItsConnectionAndReachesTheHandler() {
        IllegalStateException boom = new IllegalStateException("protocol bug");
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
                super.dataReceived(data);
                throw boom;
            }
        });
        RecordingProtocol client = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol protocol = new RecordingProtocol();
            connect(server, protocol).write(utf8("trigger"));
            protocol.lost().await(); // the server's abort reaches us as EOF or reset
            accepted.nth(0).await().lost().await();
            server.close();
            return protocol;
        });
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertSame(boom, serverSide.lost().result(), "connectionLost gets what the callback threw");
        assertEquals(List.of("made", "data", "lost"), serverSide.events());
        assertEquals("lost", client.events().getLast());
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), "reported once: " + reported);
        assertSame(boom, reported.getFirst().exception());
    }

    /** Transports, servers and the loop's networking are confined to the loop's thread. */
    @Test
    void transportsAndServersAreConfinedToTheirLoop() {
        List<Throwable> errors = run(() -> {
            Server server = listen(RecordingProtocol::new);
            StreamTransport transport = connect(server, new RecordingProtocol());
            RecordingProtocol spare = new RecordingProtocol();
            List<Throwable> caught = loop.runInExecutor(null, () -> {
                List<Throwable> found = new ArrayList<>();
                found.add(caught(() -> transport.write(utf8("from a foreign thread"))));
                found.add(caught(transport::close));
                found.add(caught(server::close));
                found.add(caught(() -> net().connect(server.addresses().getFirst(), spare, SocketOptions.DEFAULTS)));
                return found;
            }).await();
            assertTrue(server.isServing(), "a foreign close must not have closed the server");
            assertTrue(!transport.isClosing(), "a foreign close must not have closed the transport");
            transport.close();
            server.close();
            return caught;
        });
        for (Throwable error : errors) {
            assertInstanceOf(WrongThreadException.class, error);
        }
    }

    private static Throwable caught(Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            return t;
        }
        fail("no error from another thread");
        return null;
    }
}
