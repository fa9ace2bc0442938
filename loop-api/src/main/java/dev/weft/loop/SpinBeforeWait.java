package dev.weft.loop;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Whether a loop about to wait in {@code poll} spins a moment first, watching for a submission from another thread.
 * Waking a loop that waits costs a system call on each side (the submitter's wake-up, the poll's return) and the
 * scheduler's wake-up latency; a spin that catches the submission costs neither. So a loop spins, for at most
 * {@link #SPIN_NANOS}, while that pays: after a wait that a submission ended soon, another loop or thread is
 * answering it quickly (a channel between loops, the virtual-thread backend's I/O threads). A spin in vain makes the
 * loop skip spinning for its next waits, twice as many after each further one, up to {@link #MAX_SKIP}: an idle loop,
 * or one woken by I/O and timers only, ends up spinning before one wait in a thousand.
 *
 * <p>Measured (this stop's note on issue 15): a hand-off through an unbuffered channel between two loops went from
 * 14.8 µs to 3.9 µs, and the virtual-thread backend's streams echo cost 15–18% less CPU per request; the nio and
 * epoll echo servers were unchanged. Confined to the loop thread.
 */
final class SpinBeforeWait {
    /** The longest spin: a few wake-ups' worth. */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** The most waits skipped after spins in vain: a spin then costs at most 20 ns per wait on average. */
    static final int MAX_SKIP = 1024;
    /** A wait a submission ended within this is "soon": the other side answers quickly, so spin again. */
    private static final long SOON_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private int skipping; // waits still to go without spinning
    private int penalty = 1; // what the next spin in vain sets skipping to

    /**
     * Spin until {@code arrived} holds (a submission came, or what a carried task spins for), for at most
     * {@link #SPIN_NANOS} and at most {@code timeoutNanos} (negative: no timeout), unless the loop skips spinning now.
     * Returns whether it arrived.
     */
    boolean spin(BooleanSupplier arrived, long timeoutNanos) {
        if (skipping > 0) {
            skipping--;
            return false;
        }
        long end = System.nanoTime() + (timeoutNanos < 0 ? SPIN_NANOS : Math.min(SPIN_NANOS, timeoutNanos));
        for (int looks = 1; !arrived.getAsBoolean(); looks++) {
            // The clock is read every 16th look only: on a virtual machine a read costs more than a look.
            if ((looks & 15) == 0 && System.nanoTime() - end >= 0) {
                skipping = penalty;
                penalty = Math.min(2 * penalty, MAX_SKIP);
                return false;
            }
            Thread.onSpinWait();
        }
        penalty = 1;
        return true;
    }

    /** Whether {@link #spin} would spin now, rather than skip. */
    boolean wouldSpin() {
        return skipping == 0;
    }

    /** After a wait in poll this long: whether a submission is what ended it. */
    void waited(long waitedNanos, boolean endedBySubmission) {
        if (endedBySubmission && waitedNanos < SOON_NANOS) {
            skipping = 0;
        }
    }
}
