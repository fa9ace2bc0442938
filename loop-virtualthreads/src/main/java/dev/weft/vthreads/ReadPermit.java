package dev.weft.vthreads;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * How a loop lets a reader thread read once more. The reader takes a permit before each read and hands what it read
 * to the loop; the loop grants more only as the protocol consumes what came and still wants data. So a reader holds at
 * most as many chunks the protocol has not seen as the loop let it read ahead, a paused protocol leaves the bytes in
 * the kernel (the peer's writes then block, which is the backpressure TCP is made for), and a reader's buffer is never
 * overwritten while a callback reads it.
 *
 * <p>The loop side ({@link #grant}) is confined to the loop and never blocks; only the reader waits. One reader thread
 * waits on the permits, so a count and a {@link ParkingSpot} do what a semaphore did: this is on every read's path.
 */
final class ReadPermit {
    private final AtomicInteger available = new AtomicInteger(); // granted, not yet taken by the reader
    private volatile boolean stopped;
    private final ParkingSpot reader = new ParkingSpot();
    private final BooleanSupplier grantedOrStopped = () -> available.get() > 0 || stopped;

    /** Loop: let the reader read once more. The caller counts the reads it let out and the answers that came back. */
    void grant() {
        if (!stopped) {
            available.incrementAndGet();
            reader.wake();
        }
    }

    /** Any thread: the reader ends at its next {@link #await()}. */
    void stop() {
        stopped = true;
        reader.wake();
    }

    boolean isStopped() {
        return stopped;
    }

    /** Reader: wait for the next permit and take it; false if stopped instead. */
    boolean await() {
        reader.parkUntil(grantedOrStopped);
        if (stopped) {
            return false;
        }
        available.decrementAndGet();
        return true;
    }
}
