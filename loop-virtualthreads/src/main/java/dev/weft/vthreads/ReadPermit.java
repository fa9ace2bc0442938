package dev.weft.vthreads;

import java.util.concurrent.Semaphore;

/**
 * How a loop lets a reader thread read on. The reader takes a permit before each read and hands what it read to the
 * loop; the loop grants permits up to a window of reads not yet answered (one, or two for a stream reader that may
 * read ahead), and tops the window up only once the protocol has consumed a chunk and still wants data. So a reader
 * holds at most {@code window - 1} chunks the protocol has not seen beside the one it is seeing, a paused protocol
 * leaves the rest in the kernel (the peer's writes then block, which is the backpressure TCP is made for), and with a
 * buffer per permit a read never overwrites a chunk a callback reads.
 *
 * <p>The loop side ({@link #grant}, {@link #answered}) is confined to the loop and never blocks; only the reader waits.
 */
final class ReadPermit {
    private final Semaphore permits = new Semaphore(0);
    private volatile boolean stopped;
    private int outstanding; // loop only: permits out that the reader has not answered yet

    /** Loop: let the reader read again once its last chunk was consumed (a window of one). */
    void grant() {
        grant(1);
    }

    /** Loop: let the reader read until {@code window} reads are unanswered. */
    void grant(int window) {
        int more = window - outstanding;
        if (more > 0 && !stopped) {
            outstanding = window;
            permits.release(more);
        }
    }

    /** Loop: the reader answered one read (with data, EOF or an error). */
    void answered() {
        if (outstanding > 0) {
            outstanding--;
        }
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
