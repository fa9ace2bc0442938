package dev.weft.vthreads;

import java.util.function.BooleanSupplier;

/**
 * How a loop lets a reader thread read once more. The reader takes the permit before each read and hands what it read
 * to the loop; the loop grants the next permit only once the protocol has consumed that chunk and still wants data.
 * So a reader holds at most one chunk the protocol has not seen, a paused protocol leaves the bytes in the kernel (the
 * peer's writes then block, which is the backpressure TCP is made for), and the reader's buffer is never overwritten
 * while a callback reads it.
 *
 * <p>The loop side ({@link #grant}) is confined to the loop and never blocks; only the reader waits. One reader thread
 * waits on a permit, and at most one grant is out at a time, so a flag and a {@link ParkingSpot} do what a semaphore
 * did: this is on every read's path.
 */
final class ReadPermit {
    private volatile boolean available; // a grant the reader has not taken yet
    private volatile boolean stopped;
    private final ParkingSpot reader = new ParkingSpot();
    private final BooleanSupplier grantedOrStopped = () -> available || stopped;
    private boolean granted; // loop only: a permit is out that the reader has not answered yet

    /** Loop: let the reader read once more, unless it already may. */
    void grant() {
        if (!granted && !stopped) {
            granted = true;
            available = true;
            reader.wake();
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
        reader.wake();
    }

    boolean isStopped() {
        return stopped;
    }

    /** Reader: wait for the next grant; false if stopped instead. */
    boolean await() {
        reader.parkUntil(grantedOrStopped);
        available = false; // no grant can come before the reader answers this one
        return !stopped;
    }
}
