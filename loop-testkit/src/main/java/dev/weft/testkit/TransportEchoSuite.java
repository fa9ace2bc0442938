package dev.weft.testkit;

import dev.weft.loop.Future;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bytes go through unchanged and in order, whatever their size and however they are cut into writes, with the
 * protocol's callbacks in their contract order — made, data, EOF, lost once and last — on a thousand connections at
 * once as on one. The server is a protocol-level echo with flow control; so is the client.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class TransportEchoSuite extends AbstractTransportSuite {
    private static final int CONNECTIONS = 1_000;

    /** The client writes everything in one buffer, then EOF; the echo server sends it back, then closes. */
    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 1024, 64 * 1024, 1024 * 1024, 10 * 1024 * 1024})
    void echoesPayloadsOfEverySizeUnchangedAndInOrder(int size) {
        byte[] payload = payload(size, size);
        List<RecordingProtocol> ends = run(() -> {
            Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            transport.write(ByteBuffer.wrap(payload));
            transport.writeEof();
            client.lost().await();
            EchoProtocol echo = accepted.nth(0).await();
            echo.lost().await();
            server.close();
            return List.of(client, echo);
        });
        RecordingProtocol client = ends.get(0);
        RecordingProtocol echo = ends.get(1);
        assertEquals(size, echo.receivedCount(), "bytes the echo server received");
        assertEquals(size, client.receivedCount(), "bytes echoed back");
        assertArrayEquals(payload, client.bytes(), "the echoed bytes");
        assertEquals(List.of("made", "data", "eof", "lost"), client.eventsWithout("pause", "resume"));
        assertEquals(List.of("made", "data", "eof", "lost"), echo.eventsWithout("pause", "resume"));
        assertEquals(client.count("pause"), client.count("resume"), "every pause is resumed: " + client.events());
        assertNull(client.lost().result(), "a clean close loses the connection without a cause");
        assertNull(echo.lost().result());
    }

    /**
     * An echo that writes back the very buffer {@code dataReceived} showed it, which is valid only during the call: the
     * transport must keep what it cannot send at once (nio copies it, Netty keeps the memory, vthreads holds its read
     * buffer), or later reads would overwrite bytes still queued.
     */
    @Test
    void anEchoOfTheShownBufferItselfComesBackUnchanged() {
        byte[] payload = payload(10 * 1024 * 1024, 99);
        assertArrayEquals(payload, echoOfTheShownBuffer(payload, StreamTransport::write), "the echoed bytes");
    }

    /**
     * As above, by a protocol that pauses and resumes reading inside the callback before it writes the buffer back: a
     * resume there must not let the transport read into the buffer the callback still looks at (vthreads did, once its
     * writes held read buffers instead of copying them, and echoed later chunks' bytes).
     */
    @Test
    void anEchoOfTheShownBufferAfterAPauseAndResumeInTheCallbackComesBackUnchanged() {
        byte[] payload = payload(8 * 1024 * 1024, 98);
        assertArrayEquals(payload, echoOfTheShownBuffer(payload, (transport, data) -> {
            transport.pauseReading();
            transport.resumeReading();
            transport.write(data);
        }), "the echoed bytes");
    }

    /**
     * As above, with part of a file sent after every third buffer: the shown buffers a transport keeps (vthreads holds
     * its read buffers until written) and the file regions between them go out in the order written, though a writer
     * may report a file region and the buffers around it to the loop in either order.
     */
    @Test
    void anEchoOfTheShownBufferWithFileRegionsBetweenComesBackInTheOrderWritten() throws IOException {
        byte[] payload = payload(8 * 1024 * 1024, 97);
        byte[] fileBytes = payload(3000, 96);
        Path path = Files.write(Files.createTempFile("weft-echo", ".bin"), fileBytes);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        int[] buffers = new int[1];
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            byte[] echoed = echoOfTheShownBuffer(payload, (transport, data) -> {
                byte[] copy = new byte[data.remaining()];
                data.get(data.position(), copy);
                written.writeBytes(copy);
                transport.write(data);
                if (++buffers[0] % 3 == 0) {
                    int count = 1 + buffers[0] % fileBytes.length;
                    written.write(fileBytes, 0, count);
                    transport.sendFile(file, 0, count);
                }
            });
            assertArrayEquals(written.toByteArray(), echoed, "the bytes back, against those written in order");
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** What a server does with each buffer {@code dataReceived} shows it: writes it back, and perhaps more. */
    @FunctionalInterface
    private interface ShownBufferEcho {
        void echo(StreamTransport transport, ByteBuffer data);
    }

    /**
     * Echo the payload by a server that hands each buffer it is shown to {@code echo}; the bytes back. The client reads
     * nothing until the server's writes back up past its high water mark (it pauses writing) or the server has read
     * everything: so the server reads on while what it wrote is still queued, and a transport that keeps the buffers
     * it was given to write must not read into them meanwhile.
     */
    private byte[] echoOfTheShownBuffer(byte[] payload, ShownBufferEcho echo) {
        RecordingProtocol client = run(() -> {
            Future<Void> backedUp = loop.createFuture();
            Server server = listen(() -> new EchoProtocol() {
                @Override
                public void dataReceived(ByteBuffer data) {
                    echo.echo(transport(), data); // no copy: the transport keeps what it needs
                }

                @Override
                public void pauseWriting() {
                    super.pauseWriting();
                    letTheClientRead();
                }

                @Override
                public boolean eofReceived() {
                    letTheClientRead(); // the socket buffers held it all: nothing more to wait for
                    return super.eofReceived();
                }

                private void letTheClientRead() {
                    if (!backedUp.isDone()) {
                        backedUp.setResult(null);
                    }
                }
            });
            RecordingProtocol protocol = new RecordingProtocol();
            StreamTransport transport = connect(server, protocol);
            transport.pauseReading();
            transport.write(ByteBuffer.wrap(payload));
            transport.writeEof();
            backedUp.await();
            transport.resumeReading();
            protocol.lost().await();
            server.close();
            return protocol;
        });
        return client.bytes();
    }

    /**
     * Thousands of writes queued back to back — small and large, heap and direct, some past any slice a backend may
     * cut heap buffers into — come back as one stream in the order written.
     */
    @Test
    void manyQueuedWritesOfMixedBuffersKeepTheirOrder() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        List<ByteBuffer> writes = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int size = i % 500 == 499 ? 300 * 1024 + i : 1 + (i * 7919) % 3000;
            byte[] bytes = payload(size, i);
            expected.writeBytes(bytes);
            ByteBuffer buffer; // direct, or a heap buffer whose data does not start at 0
            if (i % 2 == 0) {
                buffer = ByteBuffer.allocateDirect(size).put(bytes).flip();
            } else {
                buffer = ByteBuffer.allocate(size + 8).position(8).put(bytes).flip().position(8);
            }
            writes.add(buffer);
        }
        RecordingProtocol client = run(() -> {
            Server server = listen(EchoProtocol::new);
            RecordingProtocol protocol = new RecordingProtocol();
            StreamTransport transport = connect(server, protocol);
            for (ByteBuffer write : writes) {
                transport.write(write);
            }
            transport.writeEof();
            protocol.lost().await();
            server.close();
            return protocol;
        });
        assertArrayEquals(expected.toByteArray(), client.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), client.eventsWithout("pause", "resume"));
    }

    @Test
    void bothEndsKnowTheirAddresses() {
        List<Object> seen = run(() -> {
            Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
            Server server = listen(accepted);
            StreamTransport client = connect(server, new RecordingProtocol());
            StreamTransport serverSide = accepted.nth(0).await().made().await();
            List<Object> result = List.of(server.addresses(), client.remoteAddress(), client.localAddress(),
                    serverSide.localAddress(), serverSide.remoteAddress(), client.loop() == loop,
                    serverSide.loop() == loop);
            client.close();
            server.close();
            return result;
        });
        InetSocketAddress listening = (InetSocketAddress) ((List<?>) seen.get(0)).getFirst();
        assertEquals("127.0.0.1", listening.getAddress().getHostAddress());
        assertNotEquals(0, listening.getPort(), "the real port, not the 0 asked for");
        assertEquals(listening, seen.get(1), "the client's peer is the server's address");
        assertEquals(listening, seen.get(3), "the accepted connection's local end is the server's address");
        assertEquals(seen.get(2), seen.get(4), "each end's peer is the other's local address");
        assertEquals(true, seen.get(5));
        assertEquals(true, seen.get(6));
    }

    /** Every connection on one loop at once: each gets its own protocol and its own bytes back. */
    @Test
    void aThousandConcurrentConnectionsOnOneLoop() {
        long needed = 2L * CONNECTIONS + 256;
        long limit = maxFileDescriptors();
        assumeTrue(limit < 0 || limit >= needed, "this test opens " + 2 * CONNECTIONS + " sockets and needs about "
                + needed + " file descriptors, but the limit is " + limit + "; raise it (ulimit -n 4096) to run it");
        List<RecordingProtocol> clients = new ArrayList<>();
        Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
        run(() -> {
            Server server = listen(accepted, SocketOptions.DEFAULTS.withBacklog(CONNECTIONS));
            List<Future<StreamTransport>> connects = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                RecordingProtocol client = new RecordingProtocol();
                clients.add(client);
                connects.add(net().connect(server.addresses().getFirst(), client, SocketOptions.DEFAULTS));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                connects.get(i).await().write(utf8("hello from " + i + "\n"));
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                RecordingProtocol client = clients.get(i);
                client.received(("hello from " + i + "\n").length()).await();
                client.transport().close();
            }
            for (RecordingProtocol client : clients) {
                client.lost().await();
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                accepted.nth(i).await().lost().await();
            }
            server.close();
            return null;
        });
        for (int i = 0; i < CONNECTIONS; i++) {
            RecordingProtocol client = clients.get(i);
            assertEquals("hello from " + i + "\n", client.text(), "connection " + i);
            assertEquals(List.of("made", "data", "lost"), client.events(), "connection " + i);
        }
        assertEquals(CONNECTIONS, accepted.all().size(), "connections accepted");
        for (EchoProtocol echo : accepted.all()) {
            assertEquals(List.of("made", "data", "eof", "lost"), echo.events());
        }
    }

    /** The process's open-file limit, or -1 where the JVM cannot tell. */
    private static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** Data written in connectionMade goes out before anything written later, on both sides. */
    @Test
    void writesFromConnectionMadeComeFirst() {
        RecordingProtocol client = run(() -> {
            Server server = listen(() -> new RecordingProtocol() {
                @Override
                public void connectionMade(StreamTransport transport) {
                    super.connectionMade(transport);
                    transport.write(utf8("welcome;"));
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    super.dataReceived(data);
                    if (receivedCount() == 2) {
                        transport().write(utf8("got " + text() + ";"));
                    }
                }
            });
            RecordingProtocol protocol = new RecordingProtocol() {
                @Override
                public void connectionMade(StreamTransport transport) {
                    super.connectionMade(transport);
                    transport.write(utf8("hi"));
                }
            };
            connect(server, protocol);
            protocol.received("welcome;got hi;".length()).await();
            protocol.transport().close();
            protocol.lost().await();
            server.close();
            return protocol;
        });
        assertEquals("welcome;got hi;", client.text());
        assertEquals(List.of("made", "data", "lost"), client.events());
    }

    /**
     * What a task cancelled by the loop's close writes as it ends reaches the peer before the socket closes, also when
     * a stop was asked while the loop was idle. The peer is a plain socket on another thread: it outlives the loop.
     */
    @Test
    void aCancelledTasksLastWriteReachesThePeerAsTheLoopCloses() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, LOCALHOST.getAddress())) {
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = peer.accept(); InputStream in = accepted.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8); // until the loop closes it
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Future<Void> connected = loop.createFuture();
            loop.createTask(() -> {
                StreamTransport transport = net().connect(new InetSocketAddress(LOCALHOST.getAddress(),
                        peer.getLocalPort()), new RecordingProtocol(), SocketOptions.DEFAULTS).await();
                connected.setResult(null);
                try {
                    loop.<Void>createFuture().await(); // until close cancels it
                } finally {
                    transport.write(utf8("bye"));
                    transport.close();
                }
            });
            loop.runUntilComplete(connected);
            loop.stop(); // while idle: a stop for a run that never comes
            loop.close();
            assertEquals("bye", heard.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
    }
}
