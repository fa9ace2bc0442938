package dev.weft.vthreads;

import java.util.concurrent.Semaphore;

/**
 * How a loop lets a reader thread read once more. The reader takes the permit before each read and hands what it read
 * to the loop; the loop grants the next permit only once the protocol has consumed that chunk and still wants data.
 * So a reader holds at most one chunk the protocol has not seen, a paused protocol leaves the bytes in the kernel (the
 * peer's writes then block, which is the backpressure TCP is made for), and the reader's buffer is never overwritten
 * while a callback reads it.
 *
 * <p>The loop side ({@link #grant}) is confined to the loop and never blocks; only the reader waits.
 */
final class ReadPermit {
    private final Semaphore permits = new Semaphore(0);
    private volatile boolean stopped;
    private boolean granted; // loop only: a permit is out that the reader has not answered yet

    /** Loop: let the reader read once more, unless it already may. */
    void grant() {
        if (!granted && !stopped) {
            granted = true;
            permits.release();
        }
    }

    /** Loop: whether a permit is out that the reader has not answered yet. */
    boolean isGranted() {
        return granted;
    }

    /** Loop: the reader answered (with data, EOF or an error); the next read needs a new grant. */
    void answered() {
        granted = false;
    }

    /** Any thread: the reader ends at its next {@link #await()}. */
    void stop() {
        stopped = true;
        permits.release();
    }

    boolean isStopped() {
        return stopped;
    }

    /** Reader: wait for the next grant; false if stopped instead. */
    boolean await() {
        if (stopped) {
            return false;
        }
        permits.acquireUninterruptibly();
        return !stopped;
    }
}
