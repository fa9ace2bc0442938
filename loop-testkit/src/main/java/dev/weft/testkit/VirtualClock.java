package dev.weft.testkit;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time for tests: whenever the loop has nothing to run but a timer, time jumps to that timer's deadline, so a
 * test of a one-hour timeout takes microseconds and fires in exactly the order the deadlines say. I/O still works
 * (the loop polls it without waiting), but a timer wins any race against I/O that is not ready at once.
 *
 * <pre>{@code
 * VirtualClock clock = VirtualClock.install(loop);   // before the loop runs
 * }</pre>
 */
public final class VirtualClock implements LoopClock {
    private final AtomicLong now = new AtomicLong();

    /** Put a new virtual clock, at time zero, into an idle loop with no timers. */
    public static VirtualClock install(EventLoop loop) {
        if (!(loop instanceof AbstractEventLoop core)) {
            throw new IllegalArgumentException("virtual time needs a loop built on AbstractEventLoop: " + loop);
        }
        VirtualClock clock = new VirtualClock();
        core.setClock(clock);
        return clock;
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Jump to the next deadline instead of waiting for it; with no deadline, wait for real (for I/O or a wake-up). */
    @Override
    public long beforeWait(long timeoutNanos) {
        if (timeoutNanos > 0) {
            now.addAndGet(timeoutNanos);
            return 0;
        }
        return timeoutNanos;
    }

    /** Move time forward by hand. Timers that come due run at the loop's next iteration. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + by);
        }
        now.addAndGet(by.toNanos());
    }

    /** The virtual time elapsed since installation. */
    public Duration elapsed() {
        return Duration.ofNanos(now.get());
    }
}
