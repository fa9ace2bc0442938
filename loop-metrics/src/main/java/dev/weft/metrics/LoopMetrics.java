package dev.weft.metrics;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LagProbe;
import dev.weft.loop.LoopStats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The MBean of one loop: its {@link LoopStats} read on demand, and its lag, sampled by a {@link LagProbe} into an
 * HdrHistogram. The probe records on the loop's thread into a single-writer recorder, which costs the loop no lock;
 * a JMX read swaps the recorder's interval histogram out and adds it to the total. The rates are taken on the loop
 * too, by the probe's sample, once a second.
 */
final class LoopMetrics implements LoopMXBean, AutoCloseable {
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    private final EventLoop loop;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS); // guarded by this
    private final LagProbe probe;
    private Histogram interval; // recycled between reads; guarded by this
    private LoopStats rateStart; // loop thread only
    private volatile double callbacksPerSecond;
    private volatile double ioEventsPerSecond;

    LoopMetrics(EventLoop loop, Duration lagInterval) {
        this.loop = loop;
        this.rateStart = loop.stats();
        this.probe = LagProbe.start(loop, lagInterval, this::sampled);
    }

    /** A lag sample, on the loop: record it, and take the rates when a second has passed. */
    private void sampled(long lagNanos) {
        recorder.recordValue(lagNanos);
        LoopStats now = loop.stats();
        if (now.nanoTime() - rateStart.nanoTime() >= RATE_WINDOW_NANOS) {
            callbacksPerSecond = now.perSecond(rateStart, LoopStats::callbacks);
            ioEventsPerSecond = now.perSecond(rateStart, LoopStats::ioEvents);
            rateStart = now;
        }
    }

    /** The lag histogram with every sample recorded so far. */
    private synchronized Histogram lag() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return total;
    }

    private synchronized double lagMillis(double percentile) {
        Histogram lag = lag();
        return lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(percentile) / 1e6;
    }

    @Override
    public String getBackend() {
        return loop.backendName();
    }

    @Override
    public String getTaskMode() {
        return loop.taskMode().name();
    }

    @Override
    public String getLoop() {
        return loop.toString();
    }

    @Override
    public double getLagP50Millis() {
        return lagMillis(50);
    }

    @Override
    public double getLagP99Millis() {
        return lagMillis(99);
    }

    @Override
    public double getLagP999Millis() {
        return lagMillis(99.9);
    }

    @Override
    public synchronized double getLagMaxMillis() {
        return lag().getMaxValue() / 1e6;
    }

    @Override
    public synchronized long getLagSamples() {
        return lag().getTotalCount();
    }

    @Override
    public synchronized void resetLag() {
        lag();
        total.reset();
    }

    @Override
    public int getTasksAlive() {
        return loop.stats().tasksAlive();
    }

    @Override
    public long getTasksStarted() {
        return loop.stats().tasksStarted();
    }

    @Override
    public long getCallbacks() {
        return loop.stats().callbacks();
    }

    @Override
    public double getCallbacksPerSecond() {
        return callbacksPerSecond;
    }

    @Override
    public long getIoEvents() {
        return loop.stats().ioEvents();
    }

    @Override
    public double getIoEventsPerSecond() {
        return ioEventsPerSecond;
    }

    @Override
    public int getOpenTransports() {
        return loop.stats().openTransports();
    }

    /** The probe that samples the lag. */
    LagProbe probe() {
        return probe;
    }

    /** Stop sampling. */
    @Override
    public void close() {
        probe.close();
    }
}
