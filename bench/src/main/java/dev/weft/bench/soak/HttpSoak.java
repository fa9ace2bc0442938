package dev.weft.bench.soak;

import dev.weft.bench.http.BenchNginx;
import dev.weft.bench.http.Workload;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.http.PoolLimits;
import dev.weft.http.PoolStats;
import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;
import dev.weft.scope.TaskGroup;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP soak: {@code concurrency} tasks on one loop of one backend each sending GET requests one after another
 * through ONE {@link HttpSession} to nginx (pinned to its own core) for the whole window, the pool allowed a
 * connection per task. The footprint is this process's, read at the window's two edges with the tasks still running,
 * and the pool's figures are read there too: a connection or a waiter left behind would show.
 */
final class HttpSoak {
    private HttpSoak() {
    }

    /** The row, and the pool's figures at the window's end. */
    record Outcome(SoakRow row, PoolStats poolAtStart, PoolStats poolAtEnd) {
    }

    static Outcome run(String backend, int nginxCore, int port, int concurrency, Duration warmup, Duration measured)
            throws Exception {
        try (BenchNginx nginx = BenchNginx.start(nginxCore, port)) {
            String url = nginx.baseUrl() + Workload.ONE_KIB;
            EventLoop loop = new NamedLoopPolicy(backend).choose(Loops.providers()).newLoop();
            return Loops.run(() -> loop, () -> soak(loop, url, backend, concurrency, warmup, measured));
        }
    }

    private static Outcome soak(EventLoop loop, String url, String backend, int concurrency, Duration warmup,
                                Duration measured) throws IOException {
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        boolean[] state = {false, false}; // measuring, stopping: read and written on the loop only
        long[] requests = {0};
        try (HttpSession session = HttpSession.builder()
                .poolLimits(PoolLimits.DEFAULTS.withPerHost(concurrency).withTotal(concurrency)).build();
             TaskGroup group = TaskGroup.open()) {
            for (int t = 0; t < concurrency; t++) {
                group.spawn(() -> {
                    while (!state[1]) {
                        long sent = System.nanoTime();
                        try (HttpResponse response = session.get(url)) {
                            if (response.status() != 200 || response.bytes().length != 1024) {
                                throw new IOException(url + " answered " + response.status());
                            }
                        }
                        if (state[0]) {
                            latencies.recordValue(Math.min(System.nanoTime() - sent, latencies.getHighestTrackableValue()));
                            requests[0]++;
                        }
                    }
                });
            }
            Async.sleep(warmup);
            PoolStats poolAtStart = session.poolStats();
            Footprint start = footprint(loop);
            state[0] = true;
            long from = System.nanoTime();
            Async.sleep(measured);
            state[0] = false;
            double seconds = (System.nanoTime() - from) / 1e9;
            PoolStats poolAtEnd = session.poolStats();
            Footprint end = footprint(loop);
            state[1] = true; // the workers end after their request in flight; closing the group awaits them
            SoakRow row = new SoakRow("http " + backend + ", " + concurrency + " concurrent", requests[0] / seconds,
                    latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3,
                    latencies.getValueAtPercentile(99.9) / 1e3, start, end);
            return new Outcome(row, poolAtStart, poolAtEnd);
        }
    }

    /** This process's footprint, from a task of the loop: the loop's tasks (this one included), heap after a GC. */
    private static Footprint footprint(EventLoop loop) throws IOException {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return Footprint.of(ProcessHandle.current().pid(), heap, loop.allTasks().size());
    }
}
