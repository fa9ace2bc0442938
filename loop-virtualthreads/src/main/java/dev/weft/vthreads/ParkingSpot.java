package dev.weft.vthreads;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Where one I/O thread parks until something it waits for holds — a read permit, a queued write — and where the loop
 * (or a closer) wakes it after making that so. A lock and a condition or a semaphore did this before at every echo, with
 * a queue node per wait; one known waiter needs only a volatile field and a park.
 *
 * <p>Nothing is missed: the waiter writes itself into the spot before it looks at its condition again, and a waker
 * makes the condition true before it looks at the spot, so one of the two sees the other (both are volatile). A wake
 * that comes as the waiter leaves is a spare unpark, which the thread's next park absorbs: every park of the JDK's and
 * Weft's looks at its own condition again.
 */
final class ParkingSpot {
    private volatile Thread parked;

    /**
     * The waiter: park until {@code ready} holds. Uninterruptible, since an interrupt would close the thread's socket:
     * one that comes while it waits is kept for the thread to see.
     */
    void parkUntil(BooleanSupplier ready) {
        if (ready.getAsBoolean()) {
            return;
        }
        boolean interrupted = false;
        parked = Thread.currentThread();
        while (!ready.getAsBoolean()) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        parked = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A waker, after making the waiter's condition true: unpark it if it waits. */
    void wake() {
        Thread waiter = parked;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }
}
