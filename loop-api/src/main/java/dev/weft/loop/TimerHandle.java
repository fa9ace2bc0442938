package dev.weft.loop;

/** A callback scheduled for a deadline on the loop's clock ({@link EventLoop#time()}). */
public final class TimerHandle extends Handle implements Comparable<TimerHandle> {
    private final long when;
    private final long sequence;
    private final AbstractEventLoop loop;

    TimerHandle(AbstractEventLoop loop, long when, long sequence, Runnable callback) {
        super(callback);
        this.loop = loop;
        this.when = when;
        this.sequence = sequence;
    }

    /** The deadline, in nanoseconds on the loop's clock. */
    public long when() {
        return when;
    }

    /** Still in the loop's timers (the FIFO or the heap); the count of cancelled timers there decides when to purge. */
    boolean queued = true;

    @Override
    public boolean cancel() {
        boolean first = super.cancel();
        if (first && queued) {
            loop.timerCancelled();
        }
        return first;
    }

    /** Earlier deadline first; equal deadlines in the order they were scheduled. */
    @Override
    public int compareTo(TimerHandle other) {
        int byDeadline = Long.compare(when - other.when, 0); // overflow-safe for nanoTime values
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
}
