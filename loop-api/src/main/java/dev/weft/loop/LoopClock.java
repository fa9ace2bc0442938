package dev.weft.loop;

/**
 * The time a loop schedules by. The default is {@link System#nanoTime()}; tests install a virtual clock with
 * {@link AbstractEventLoop#setClock} so timers, timeouts and deadlines run at once and deterministically.
 */
public interface LoopClock {

    /** The system's monotonic clock. */
    LoopClock SYSTEM = System::nanoTime;

    /** Monotonic time in nanoseconds. Thread-safe. */
    long nanoTime();

    /**
     * The loop has nothing ready to run and is about to wait up to {@code timeoutNanos} for I/O (negative: until woken)
     * before its next timer is due; return how long it should really wait. A virtual clock jumps to the deadline and
     * returns 0, so the timer fires at once without a real wait. On the loop thread.
     */
    default long beforeWait(long timeoutNanos) {
        return timeoutNanos;
    }
}
