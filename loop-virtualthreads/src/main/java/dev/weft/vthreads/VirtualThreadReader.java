package dev.weft.vthreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The receiving half of a stream connection: a virtual thread that reads a chunk only with a {@link ReadPermit} from
 * the loop, and the loop's side of pausing. Chunks start at 16 KiB and grow to asyncio's 256 KiB while reads fill
 * them, so a thousand idle connections do not hold 256 KiB each.
 *
 * <p>The loop grants the next read once the connection has consumed the chunk and still wants data. A chunk (or the
 * EOF) that arrives after {@link #pause()} is held back until {@link #resume()}, so nothing is delivered after a
 * pause, and a paused connection leaves the bytes in the kernel, which stops the peer. The chunk's buffer is the
 * reader's own: it is reused for the next read, which is not granted before the delivery returns.
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
    private Object held; // a chunk or EOF that arrived while paused
    private boolean heldScheduled;
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
        ByteBuffer buffer = ByteBuffer.allocateDirect(FIRST_READ);
        while (permit.await()) {
            buffer.clear();
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
                buffer = ByteBuffer.allocateDirect(buffer.capacity() * 4); // the loop still reads the old one
            }
        }
    }

    // ---- on the loop

    /** Let the thread read once more if the protocol wants data and nothing is held back. */
    void grant() {
        if (reading && !listener.isClosing() && held == null && !ended) {
            permit.grant();
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
        if (listener.isClosing()) {
            return; // closing stops reading, as on nio: what still arrives is dropped
        }
        if (!reading) {
            held = chunk;
            return;
        }
        deliver(chunk);
    }

    private void deliver(ByteBuffer chunk) {
        if (chunk.hasRemaining()) {
            listener.deliver(chunk);
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
