package dev.weft.vthreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The receiving half of a stream connection: a virtual thread that reads a chunk only with a {@link ReadPermit} from
 * the loop, and the loop's side of pausing. Chunks start at 16 KiB and grow to asyncio's 256 KiB while reads fill
 * them, so a thousand idle connections do not hold 256 KiB each (each keeps its last buffer).
 *
 * <p>The loop grants the next read once the connection has consumed the chunk and still wants data. A chunk (or the
 * EOF) that arrives after {@link #pause()} is held back until {@link #resume()}, so nothing is delivered after a
 * pause, and a paused connection leaves the bytes in the kernel, which stops the peer. The chunk's buffer is the
 * reader's own ({@link ChunkBuffer}), chosen by the loop with each grant: the last one again, unless a lease or a
 * write still holds it; then a spare of the loop's ({@link SpareReadBuffers}), or a new one.
 *
 * <p>Everything but the thread's read loop is confined to the loop.
 */
final class VirtualThreadReader {
    /** What the loop does with what was read, on the loop. */
    interface Listener {
        /** Whether the connection is closing: it then wants no more data. */
        boolean isClosing();

        /** Hand the chunk to the protocol; valid only during the call. */
        void deliver(ByteBuffer chunk);

        /** The peer half-closed. */
        void deliverEof();

        /** A read failed; the reader has ended. */
        void readFailed(IOException error);
    }

    static final int FIRST_READ = 16 * 1024;
    static final int MAX_READ = 256 * 1024;
    /** The held-back end of stream, in the place of a held-back chunk. */
    private static final Object EOF = new Object();

    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final Listener listener;
    private final ReadPermit permit = new ReadPermit();

    // ---- loop only
    private boolean reading = true; // the protocol wants data
    private Object held; // a chunk or EOF that arrived while paused
    private boolean heldScheduled;
    private boolean ended; // the thread has read EOF or failed
    private ChunkBuffer current; // read into by the granted read, or the last one
    private int wanted = FIRST_READ; // the size of buffer to read into next
    private ChunkBuffer readInto; // set before each grant, read by the thread after it (the permit orders the two)
    private boolean delivering; // the protocol is looking at current's chunk: no read into it until it returns

    VirtualThreadReader(VirtualThreadEventLoop loop, SocketChannel channel, Listener listener) {
        this.loop = loop;
        this.channel = channel;
        this.listener = listener;
    }

    /** Start the thread; it reads once {@link #grant()} lets it. */
    void start(String threadName) {
        loop.startIoThread(threadName, this::run);
    }

    /** Any thread: end the thread; a read in progress ends when the socket closes. */
    void stop() {
        permit.stop();
    }

    // ---- the reader thread

    private void run() {
        while (permit.await()) {
            ByteBuffer buffer = readInto.memory().clear(); // a new buffer's memory is allocated here, not on the loop
            int count;
            try {
                count = channel.read(buffer);
            } catch (IOException e) {
                if (!permit.isStopped()) {
                    loop.post(() -> failed(e));
                }
                return;
            }
            if (count < 0) {
                loop.post(this::eofArrived);
                return;
            }
            ByteBuffer chunk = buffer.flip();
            if (!loop.post(() -> chunkArrived(chunk))) {
                return;
            }
        }
    }

    // ---- on the loop

    /** Let the thread read once more if the protocol wants data and nothing is held back. */
    void grant() {
        if (reading && !listener.isClosing() && held == null && !ended && !permit.isGranted() && !delivering) {
            readInto = nextBuffer();
            permit.grant();
        }
    }

    /** The buffer to read into next: the last one if it is free and large enough, else a spare or a new one. */
    private ChunkBuffer nextBuffer() {
        if (current == null || !current.isFree() || current.capacity() < wanted) {
            if (current != null && current.isFree()) {
                loop.spareReadBuffers().give(current); // outgrown: another reader may read into it
            }
            ChunkBuffer spare = loop.spareReadBuffers().take(wanted, this);
            current = spare != null ? spare : loop.newReadBuffer(this, wanted);
        }
        return current;
    }

    /**
     * A buffer's last hold went: a spare for the loop's readers, unless it is this reader's {@code current} still. That
     * check is what keeps a buffer the thread may be reading into out of the pool: {@code current} changes only at a
     * grant, after the thread answered the read before, and a closing reader is granted nothing more, so its last
     * buffer stays its own while a read into it may still be blocked until the socket closes.
     */
    void returned(ChunkBuffer buffer) {
        if (buffer != current) {
            loop.spareReadBuffers().give(buffer);
        }
    }

    /** A buffer of this reader became held, or free again: the loop counts them ({@code heldReadBuffers}). */
    void held(boolean now) {
        loop.countHeldReadBuffer(now ? 1 : -1);
    }

    /** The buffer of the chunk being delivered: no grant changes it until the delivery returns. */
    ChunkBuffer chunkBuffer() {
        return current;
    }

    void pause() {
        if (reading && !listener.isClosing()) {
            reading = false; // a read in flight is held back when it arrives
        }
    }

    void resume() {
        if (reading || listener.isClosing()) {
            return;
        }
        reading = true;
        if (held == null) {
            grant();
        } else if (!heldScheduled) {
            heldScheduled = true; // delivered from the loop, not from inside the caller
            loop.callSoon(this::deliverHeld);
        }
    }

    boolean isReading() {
        return reading && !listener.isClosing();
    }

    private void chunkArrived(ByteBuffer chunk) {
        permit.answered();
        if (chunk.limit() == current.capacity() && wanted < MAX_READ) {
            wanted = current.capacity() * 4; // reads fill it: read into a larger one from the next
        }
        if (listener.isClosing()) {
            return; // closing stops reading, as on nio: what still arrives is dropped
        }
        if (!reading) {
            held = chunk;
            return;
        }
        deliver(chunk);
    }

    /**
     * Hand the chunk to the protocol, then grant the next read. A grant the protocol asks for meanwhile (a pause and a
     * resume in one callback) waits for the return: the reader could read into the very buffer the protocol is still
     * looking at, and then writes, before they hold it.
     */
    private void deliver(ByteBuffer chunk) {
        if (chunk.hasRemaining()) {
            delivering = true;
            try {
                listener.deliver(chunk);
            } finally {
                delivering = false;
            }
        }
        grant();
    }

    private void eofArrived() {
        permit.answered();
        ended = true;
        if (listener.isClosing()) {
            return;
        }
        if (!reading) {
            held = EOF;
            return;
        }
        listener.deliverEof();
    }

    private void failed(IOException error) {
        permit.answered();
        ended = true;
        listener.readFailed(error);
    }

    private void deliverHeld() {
        heldScheduled = false;
        if (listener.isClosing() || !reading || held == null) {
            return;
        }
        Object chunk = held;
        held = null;
        if (chunk == EOF) {
            listener.deliverEof();
        } else {
            deliver((ByteBuffer) chunk);
        }
    }
}
