package dev.weft.loop;

/**
 * A loop's health counters at one moment, as {@link EventLoop#stats()} reads them: totals since the loop was made,
 * and what is open now. Take two snapshots and divide their difference by {@link #nanoTime()}'s to get rates
 * ({@link #perSecond}).
 *
 * <p>Read from any thread while the loop runs: each figure is exact as of some moment of the loop, but the figures are
 * read one by one, not all at one instant, so they may disagree by the events of the last microseconds.
 *
 * @param nanoTime       {@link System#nanoTime()} when the snapshot was taken, for rates
 * @param callbacks      callbacks run, task steps included (a step of a task is a callback of its loop)
 * @param ioEvents       I/O events the backend dispatched: readiness or completions handed to a transport or server
 *                       (a read, an accept, a write that finished); what counts as one is the backend's unit
 * @param tasksStarted   tasks created
 * @param tasksAlive     tasks created and not yet ended
 * @param openTransports stream and datagram transports opened and not yet lost
 */
public record LoopStats(long nanoTime, long callbacks, long ioEvents, long tasksStarted, int tasksAlive,
                        int openTransports) {

    /**
     * How many events per second of {@code count}, between an earlier snapshot and this one: for example
     * {@code now.perSecond(before, LoopStats::callbacks)}. Zero if no time has passed.
     */
    public double perSecond(LoopStats earlier, java.util.function.ToLongFunction<LoopStats> count) {
        long nanos = nanoTime - earlier.nanoTime;
        return nanos <= 0 ? 0 : (count.applyAsLong(this) - count.applyAsLong(earlier)) * 1e9 / nanos;
    }
}
