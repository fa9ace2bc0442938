package dev.weft.vthreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The receiving half of a stream connection: a virtual thread that reads a chunk only with a {@link ReadPermit} from
 * the loop, and the loop's side of pausing. Chunks start at 16 KiB and grow to asyncio's 256 KiB while reads fill
 * them, so a thousand idle connections do not hold 256 KiB each (each keeps the buffers of the reads it was granted:
 * two of 16 KiB after small reads, one otherwise).
 *
 * <p>The loop grants reads as the connection consumes chunks and still wants data. A chunk (or the EOF) that arrives
 * after {@link #pause()} is held back until {@link #resume()}, so nothing is delivered after a pause, and a paused
 * connection leaves the bytes in the kernel, which stops the peer. Each read goes into a buffer of the reader's own
 * ({@link ChunkBuffer}), chosen by the loop with its grant: the last one again, unless a lease or a write still holds it
 * or the thread may be reading into it; then a spare of the loop's ({@link SpareReadBuffers}), or a new one.
 *
 * <p><b>Reading ahead.</b> While reads are small (they do not fill the first size), two reads are granted at a time:
 * the thread reads the next chunk as soon as it has handed one over, instead of parking for the loop's next grant and
 * being woken only to find the socket empty and park again in the JDK's poller. A request and its answer then cost the
 * reader one park, not two. Once reads fill their buffer one is granted at a time, so a paused connection has read at
 * most two small chunks or one large one more than it delivered.
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

    /** A chunk held back, with the buffer it was read into. */
    private record Arrival(ChunkBuffer from, ByteBuffer chunk) {
    }

    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final Listener listener;
    private final ReadPermit permit = new ReadPermit();
    private final ConcurrentLinkedQueue<ChunkBuffer> granted = new ConcurrentLinkedQueue<>(); // added before each grant

    // ---- loop only
    private boolean reading = true; // the protocol wants data
    private final ArrayDeque<Object> held = new ArrayDeque<>(); // came while paused, in order: Arrival, EOF, error
    private boolean heldScheduled;
    private boolean ended; // the thread has read EOF or failed
    private final ArrayDeque<ChunkBuffer> readingInto = new ArrayDeque<>(); // granted, not yet answered, in order
    private ChunkBuffer last; // the buffer granted last: read into again when free
    private ChunkBuffer delivered; // the buffer of the chunk being delivered, during its delivery
    private int wanted = FIRST_READ; // the size of buffer to read into next

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
            // a new buffer's memory is allocated here, not on the loop
            ByteBuffer buffer = granted.poll().memory().clear();
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

    /**
     * Let the thread read on, if the protocol wants data and nothing is held back: up to two reads out while they are
     * small, one once they fill their buffer. None while a chunk is being delivered: the grant comes when the protocol
     * returns.
     */
    void grant() {
        int most = wanted == FIRST_READ ? 2 : 1;
        while (reading && !listener.isClosing() && held.isEmpty() && !ended && delivered == null
                && readingInto.size() < most) {
            ChunkBuffer into = nextBuffer();
            readingInto.add(into);
            granted.add(into);
            permit.grant();
        }
    }

    /**
     * The buffer to read into next: the last one if it is free, large enough and not being read into, else a spare or
     * a new one.
     */
    private ChunkBuffer nextBuffer() {
        if (last != null && !readingInto.contains(last) && last.isFree()) {
            if (last.capacity() >= wanted) {
                return last;
            }
            loop.spareReadBuffers().give(last); // outgrown: another reader may read into it
        }
        ChunkBuffer spare = loop.spareReadBuffers().take(wanted, this);
        last = spare != null ? spare : loop.newReadBuffer(this, wanted);
        return last;
    }

    /**
     * A buffer's last hold went: a spare for the loop's readers, unless it is this reader's {@code last}, to be read
     * into again, a buffer the thread may be reading into, or the one being delivered (a lease kept and released inside
     * {@code dataReceived}), which {@link #deliver} gives back once the protocol returns: given here as well, it would
     * be in the pool twice, and two reads would go into it. The check on reads in flight is what keeps a buffer the
     * thread may still be filling out of the pool: a closing reader is granted nothing more, and its blocked read may
     * go on until the socket closes.
     */
    void returned(ChunkBuffer buffer) {
        if (buffer != last && buffer != delivered && !readingInto.contains(buffer)) {
            loop.spareReadBuffers().give(buffer);
        }
    }

    /** A buffer of this reader became held, or free again: the loop counts them ({@code heldReadBuffers}). */
    void held(boolean now) {
        loop.countHeldReadBuffer(now ? 1 : -1);
    }

    /** The buffer of the chunk being delivered: no grant chooses a buffer until the delivery returns. */
    ChunkBuffer chunkBuffer() {
        return delivered;
    }

    void pause() {
        if (reading && !listener.isClosing()) {
            reading = false; // reads in flight are held back when they arrive
        }
    }

    void resume() {
        if (reading || listener.isClosing()) {
            return;
        }
        reading = true;
        if (held.isEmpty()) {
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
        ChunkBuffer from = answered();
        if (chunk.limit() == from.capacity() && wanted < MAX_READ) {
            wanted = Math.max(wanted, from.capacity() * 4); // reads fill it: read into a larger one from the next
        }
        if (listener.isClosing()) {
            return; // closing stops reading, as on nio: what still arrives is dropped
        }
        if (!reading || !held.isEmpty()) {
            held.add(new Arrival(from, chunk));
            return;
        }
        deliver(from, chunk);
    }

    /** The thread answered the oldest grant: the buffer it read into. */
    private ChunkBuffer answered() {
        return readingInto.poll();
    }

    /**
     * Hand the chunk to the protocol, then grant the next read. A grant the protocol asks for meanwhile (a pause and a
     * resume in one callback) waits for the return: the reader could read into the very buffer the protocol is still
     * looking at, and then writes, before they hold it.
     */
    private void deliver(ChunkBuffer from, ByteBuffer chunk) {
        if (chunk.hasRemaining()) {
            delivered = from;
            try {
                listener.deliver(chunk);
            } finally {
                delivered = null;
            }
        }
        if (from.isFree()) {
            returned(from); // nothing kept it: the next grant may read into it (a held one comes back at its last hold)
        }
        grant();
    }

    private void eofArrived() {
        answered();
        ended = true;
        if (listener.isClosing()) {
            return;
        }
        if (!reading || !held.isEmpty()) {
            held.add(EOF);
            return;
        }
        listener.deliverEof();
    }

    /**
     * A failure reaches the protocol at once, unless chunks read before it are held back: then it waits behind them, as
     * an end of stream does, so the bytes that came before it are not lost.
     */
    private void failed(IOException error) {
        answered();
        ended = true;
        if (!held.isEmpty()) {
            held.add(error);
            return;
        }
        listener.readFailed(error);
    }

    private void deliverHeld() {
        heldScheduled = false;
        while (!listener.isClosing() && reading && !held.isEmpty()) {
            Object next = held.poll();
            if (next == EOF) {
                listener.deliverEof();
            } else if (next instanceof IOException error) {
                listener.readFailed(error);
            } else {
                Arrival arrival = (Arrival) next;
                deliver(arrival.from(), arrival.chunk());
            }
        }
    }
}
