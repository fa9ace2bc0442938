package dev.weft.vthreads;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;
import dev.weft.net.ReadLease;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader of small chunks reads the next one ahead, before the loop has seen the last ({@link VirtualThreadReader}):
 * its buffers still come back to be read into again, and what it read ahead while paused waits for the resume and
 * arrives in order.
 */
@Timeout(30)
class ReadAheadTest {
    private static final int ROUNDS = 2_000;
    private static final int PEERS = 8;
    private static final int PEER_ROUNDS = 500;

    /**
     * Echoes every chunk, in turn as it came (a write that holds its buffer) and as a copy of a lease it keeps and
     * releases before it returns (the buffer's last hold goes inside the delivery).
     */
    private static final class KeepingEcho implements StreamProtocol {
        private StreamTransport transport;
        private boolean keep;

        @Override
        public void connectionMade(StreamTransport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            keep = !keep;
            if (!keep) {
                transport.write(data);
                return;
            }
            ReadLease lease = transport.keep(data);
            ByteBuffer copy = ByteBuffer.allocate(lease.data().remaining()).put(lease.data().duplicate()).flip();
            lease.release();
            data.position(data.limit());
            transport.write(copy);
        }
    }

    /** Records what it is given, in order; completes at the end of the stream. */
    private static final class Recorder implements StreamProtocol {
        final Future<StreamTransport> made;
        final Future<String> events;
        final StringBuilder seen = new StringBuilder();

        Recorder(VirtualThreadEventLoop loop) {
            made = loop.createFuture();
            events = loop.createFuture();
        }

        @Override
        public void connectionMade(StreamTransport transport) {
            made.setResult(transport);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            seen.append(StandardCharsets.US_ASCII.decode(data));
        }

        @Override
        public boolean eofReceived() {
            events.setResult(seen.append("<eof>").toString());
            return false;
        }
    }

    @Test
    void smallRequestsAnsweredOneAtATimeAreReadIntoAFewBuffersOverAndOver() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        long made = Loops.run(() -> loop, () -> {
            Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0), KeepingEcho::new, SocketOptions.DEFAULTS)
                    .await();
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            try (StreamConnection c = Streams.openConnection("127.0.0.1", port)) {
                byte[] request = new byte[64];
                for (int i = 0; i < ROUNDS; i++) {
                    Arrays.fill(request, (byte) i);
                    c.writer().write(request);
                    assertArrayEquals(request, c.reader().readExactly(request.length), "round " + i);
                }
            } finally {
                server.close();
            }
            return loop.readBuffersMade();
        });
        // Two readers (the server's and the client's), each with two reads out and the buffer just delivered: 6 at
        // most. A delivered buffer not put back made one per round (over 2,000).
        assertTrue(made <= 6, made + " read buffers made for " + ROUNDS + " rounds: delivered ones were not read into "
                + "again");
    }

    /**
     * Peers on their own threads share the loop's spare buffers with reads ahead, and a lease released inside the
     * delivery gives its buffer back once: given back twice, two reads went into one buffer and the echoes came back
     * wrong within a few rounds, in both task modes.
     */
    @ParameterizedTest
    @EnumSource(TaskMode.class)
    void echoesOfManyPeersComeBackIntactWhileLeasesAndWritesHoldAndReturnTheirBuffers(TaskMode mode) throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(mode);
        Loops.run(() -> loop, () -> {
            Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0), KeepingEcho::new, SocketOptions.DEFAULTS)
                    .await();
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            List<Future<Void>> peers = new ArrayList<>();
            for (int k = 0; k < PEERS; k++) {
                int peer = k;
                peers.add(loop.runInExecutor(null, () -> echoFrom(peer, port)));
            }
            try (server) {
                for (Future<Void> done : peers) {
                    done.await();
                }
            }
        });
    }

    /** 6,000-byte requests (a lease holds a buffer for more than 4 KiB), each filled with its round's byte. */
    private static void echoFrom(int peer, int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000); // an echo that lost bytes fails the test rather than hanging it
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] request = new byte[6000];
            byte[] back = new byte[request.length];
            for (int i = 0; i < PEER_ROUNDS; i++) {
                Arrays.fill(request, (byte) (peer * 31 + i));
                socket.getOutputStream().write(request);
                in.readFully(back);
                assertArrayEquals(request, back, "peer " + peer + ", round " + i);
            }
        }
    }

    /**
     * Paused with two reads out, the reader reads a chunk and then the end of the stream: both wait for the resume, the
     * end after the chunk.
     */
    @Test
    void aChunkAndTheEndReadAheadWhilePausedArriveInOrderAtTheResume() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        Recorder recorder = new Recorder(loop);
        String events = Loops.run(() -> loop, () -> {
            Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0), () -> recorder, SocketOptions.DEFAULTS)
                    .await();
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            Socket peer = new Socket();
            try (peer; server) {
                Future<Void> connected = loop.runInExecutor(null,
                        () -> peer.connect(new InetSocketAddress("127.0.0.1", port)));
                StreamTransport transport = recorder.made.await();
                connected.await();
                Async.sleep(Duration.ZERO); // the reads begin() granted are out: both of them, the reads being small
                transport.pauseReading();
                long before = loop.stats().ioEvents();
                loop.runInExecutor(null, () -> {
                    peer.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
                    peer.shutdownOutput();
                }).await();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (loop.stats().ioEvents() < before + 2) { // the chunk and the end, read and handed to the loop
                    assertTrue(System.nanoTime() < deadline, "the paused reader did not read the chunk and the end");
                    Async.sleep(Duration.ZERO);
                }
                assertEquals("", recorder.seen.toString(), "delivered while paused");
                transport.resumeReading();
                return recorder.events.await();
            }
        });
        assertEquals("x<eof>", events);
    }
}
