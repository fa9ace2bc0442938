package dev.weft.vthreads;

import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a write holds a read buffer instead of copying what it writes ({@link ChunkBuffer}): only for bytes that are a
 * good part of it, so a protocol that writes back a few bytes of each large chunk cannot pin a whole buffer per few
 * bytes its backpressure counts; and every hold is let go once the writes are done.
 */
@Timeout(30)
class ReadBufferHoldTest {
    private static final int SENT = 4 << 20;

    /** Writes back the last {@code tail} bytes of each chunk (all of a shorter one), noting the most buffers held. */
    private static final class TailEcho implements StreamProtocol {
        private final VirtualThreadEventLoop loop;
        private final int tail;
        private final AtomicInteger mostHeld;
        private StreamTransport transport;

        TailEcho(VirtualThreadEventLoop loop, int tail, AtomicInteger mostHeld) {
            this.loop = loop;
            this.tail = tail;
            this.mostHeld = mostHeld;
        }

        @Override
        public void connectionMade(StreamTransport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            data.position(Math.max(data.position(), data.limit() - tail));
            transport.write(data); // the shown buffer itself, as the contract allows
            mostHeld.accumulateAndGet(loop.heldReadBuffers(), Math::max);
        }

        @Override
        public boolean eofReceived() {
            return false; // close once the writes are out
        }
    }

    /**
     * What an echo of {@link #SENT} bytes gave: the bytes back, the most read buffers held in any callback, those held
     * at the end, and how many read buffers the loop made.
     */
    private record Echoed(byte[] bytes, int mostHeld, int heldAtEnd, long made) {
    }

    private static Echoed echo(int tail) throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        AtomicInteger mostHeld = new AtomicInteger();
        byte[] payload = PatternProtocols.pattern(SENT);
        return Loops.run(() -> loop, () -> {
            Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0),
                    () -> new TailEcho(loop, tail, mostHeld), SocketOptions.DEFAULTS).await();
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            try (StreamConnection c = Streams.openConnection("127.0.0.1", port)) {
                c.writer().write(payload);
                c.writer().writeEof();
                back.writeBytes(c.reader().readAll());
            } finally {
                server.close();
            }
            return new Echoed(back.toByteArray(), mostHeld.get(), loop.heldReadBuffers(), loop.readBuffersMade());
        });
    }

    /** Also: the buffers writes held come back as spares and are read into again, not made anew for each chunk. */
    @Test
    void aWholeChunkEchoedIsWrittenFromTheReadBufferAndLetGoOnceWritten() throws Exception {
        Echoed echoed = echo(Integer.MAX_VALUE);
        assertArrayEquals(PatternProtocols.pattern(SENT), echoed.bytes());
        assertTrue(echoed.mostHeld() > 0, "no write held its read buffer: each was copied");
        assertEquals(0, echoed.heldAtEnd(), "read buffers still held once every byte was echoed");
        // Reused: both ends are on this loop, and each reader grows through 16, 64 and 256 KiB, needing a second buffer
        // of a size while a write holds the first: 7 were made in most runs, 8 after a short read held early. Not
        // reused: one per chunk held, 23 in a run.
        assertTrue(echoed.made() <= 12, echoed.made() + " read buffers made for " + SENT + " bytes: the spares were not "
                + "reused");
    }

    @Test
    void aFewBytesOfEachLargeChunkAreCopiedNotHeldWithTheirBuffer() throws Exception {
        Echoed echoed = echo(256);
        int back = echoed.bytes().length;
        assertTrue(back > 0 && back < SENT, "a tail of each chunk comes back: " + back);
        assertEquals(0, echoed.mostHeld(), "read buffers held by writes of 256 bytes or fewer");
    }
}
