package dev.weft.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * Measures a loop's lag, as Node's event-loop delay and asyncio's slow-callback warnings do: how late a callback
 * submitted to run now actually runs. Every interval a sampler thread stamps the time and hands the loop a callback;
 * when the loop runs it, the probe reports the difference to its recorder, on the loop. A loop that keeps up shows
 * microseconds (an idle one, its wake-up time); a callback or task step that holds the loop for 50 ms shows as a lag of
 * up to 50 ms.
 *
 * <p>The sample comes from outside the loop, not from one of its timers, so it measures the same on every backend
 * (a timer would carry the NIO selector's whole-millisecond timeouts) and never moves a virtual clock. At most one
 * sample is in flight per probe: a blocked loop collects one late sample, not a backlog. All probes share one daemon
 * thread, which stops a probe once its loop has closed. Thread-safe.
 */
public final class LagProbe implements AutoCloseable {
    private static final ScheduledExecutorService SAMPLER = sampler();

    private final EventLoop loop;
    private final LongConsumer recorder;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile ScheduledFuture<?> schedule; // null until scheduled
    private volatile boolean closed;

    private LagProbe(EventLoop loop, LongConsumer recorder) {
        this.loop = loop;
        this.recorder = recorder;
    }

    private static ScheduledExecutorService sampler() {
        ScheduledThreadPoolExecutor sampler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "weft-lag-probe");
            thread.setDaemon(true);
            return thread;
        });
        sampler.setRemoveOnCancelPolicy(true); // a closed probe leaves the queue at once, not at its next tick
        return sampler;
    }

    /**
     * Sample the loop's lag every {@code interval} until {@link #close()} or the loop closes, handing each lag (in
     * nanoseconds) to {@code recorder} on the loop's thread. Thread-safe.
     *
     * @throws IllegalArgumentException if the interval is not positive
     * @throws LoopClosedException      if the loop is closed
     */
    public static LagProbe start(EventLoop loop, Duration interval, LongConsumer recorder) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(recorder, "recorder");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the lag probe's interval must be positive, not " + interval);
        }
        if (loop.isClosed()) {
            throw new LoopClosedException("cannot probe the lag of a closed " + loop.backendName() + " event loop");
        }
        LagProbe probe = new LagProbe(loop, recorder);
        long nanos = interval.toNanos();
        probe.schedule = SAMPLER.scheduleAtFixedRate(probe::sample, nanos, nanos, TimeUnit.NANOSECONDS);
        if (probe.closed) {
            probe.close(); // its loop closed before the schedule was set: cancel that too
        }
        return probe;
    }

    /**
     * Take a sample now, unless one is in flight or the loop is not running (a loop run now and then, by
     * {@code runUntilComplete}, is not late between its runs: a sample left queued at the end of a run counts from the
     * next run's start). Thread-safe.
     */
    public void sample() {
        if (loop.isClosed()) {
            close();
        }
        if (closed || !loop.isRunning() || !inFlight.compareAndSet(false, true)) {
            return;
        }
        long stamp = System.nanoTime();
        try {
            loop.execute(() -> {
                long lag = lateBy(stamp);
                inFlight.set(false);
                if (!closed) {
                    recorder.accept(lag);
                }
            });
        } catch (RejectedExecutionException loopClosed) {
            close();
        }
    }

    /**
     * How late a callback stamped then runs now, on the loop. A sample still queued when a run of the loop ended runs
     * in its next run: the loop was late only from that run's start, not while no one ran it.
     */
    private long lateBy(long stamp) {
        long now = System.nanoTime();
        long sinceStamp = now - stamp;
        return loop instanceof AbstractEventLoop core ? Math.min(sinceStamp, now - core.counters().runStartedAt())
                : sinceStamp;
    }

    /** Stop sampling; a sample in flight is dropped. Idempotent, thread-safe. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
