package dev.weft.vthreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * The receiving half of a stream connection: a virtual thread that reads a chunk only with a {@link ReadPermit} from
 * the loop, and the loop's side of pausing. Chunks start at 16 KiB and grow to asyncio's 256 KiB while reads fill
 * them, so a thousand idle connections do not hold 256 KiB each.
 *
 * <p>After a read that did not fill its buffer — a peer that sent a message and may wait for the answer — the reader may
 * be one read ahead of the protocol (a window of two permits): while the loop delivers one chunk it is already waiting
 * for the next, so a request and its answer cost it one park (in the JDK's poller) instead of two (there and for its
 * permit). After a full read — a peer streaming — the window is one, so a bulk sender gets no more buffered than
 * before. The loop tops the window up once the connection has consumed a chunk and still wants data. Chunks (or
 * the EOF) that arrive after {@link #pause()} are held back, in order, until {@link #resume()}, so nothing is delivered
 * after a pause, and a paused connection leaves all but at most two chunks in the kernel, which stops the peer. The
 * reader reads into its two buffers by turns, so a read never overwrites the chunk being delivered: a buffer is read
 * into again only with a permit granted after its chunk's delivery returned.
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

    private static final int FIRST_READ = 16 * 1024;
    private static final int MAX_READ = 256 * 1024;
    /** The held-back end of stream, in the place of a held-back chunk. */
    private static final Object EOF = new Object();

    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final Listener listener;
    private final ReadPermit permit = new ReadPermit();

    // ---- loop only
    private boolean reading = true; // the protocol wants data
    private final ArrayDeque<Object> held = new ArrayDeque<>(2); // chunks or EOF that arrived while paused, in order
    private boolean heldScheduled;
    private boolean readAhead; // the last read did not fill its buffer: a window of two
    private boolean delivering; // a chunk's buffer is with the protocol: no permit now, or a read could overwrite it
    private boolean ended; // the thread has read EOF or failed

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
        ByteBuffer[] buffers = new ByteBuffer[2]; // made at their first read: a connection that never sends holds none
        for (int turn = 0; permit.await(); turn ^= 1) {
            if (buffers[turn] == null) {
                buffers[turn] = ByteBuffer.allocateDirect(FIRST_READ);
            }
            ByteBuffer buffer = buffers[turn].clear();
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
            if (count == buffer.capacity() && buffer.capacity() < MAX_READ) {
                buffers[turn] = ByteBuffer.allocateDirect(buffer.capacity() * 4); // the loop still reads the old one
            }
        }
    }

    // ---- on the loop

    /** Top up the thread's window of reads if the protocol wants data, nothing is held back and no chunk is out. */
    void grant() {
        if (reading && !delivering && !listener.isClosing() && held.isEmpty() && !ended) {
            permit.grant(readAhead ? 2 : 1);
        }
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
        permit.answered();
        readAhead = chunk.limit() < chunk.capacity();
        if (listener.isClosing()) {
            return; // closing stops reading, as on nio: what still arrives is dropped
        }
        if (!reading || !held.isEmpty()) {
            held.add(chunk);
            return;
        }
        deliver(chunk);
    }

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
        if (!reading || !held.isEmpty()) {
            held.add(EOF);
            return;
        }
        listener.deliverEof();
    }

    private void failed(IOException error) {
        permit.answered();
        ended = true;
        listener.readFailed(error);
    }

    /** Deliver what was held back, in order, for as long as the connection wants it. */
    private void deliverHeld() {
        heldScheduled = false;
        Object chunk;
        while (!listener.isClosing() && reading && (chunk = held.poll()) != null) {
            if (chunk == EOF) {
                listener.deliverEof();
            } else {
                deliver((ByteBuffer) chunk);
            }
        }
    }
}
