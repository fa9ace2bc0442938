package dev.weft.bench.tasks;

import dev.weft.bench.echo.Args;
import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One million tasks that each sleep, on one loop, as a new user would write it: spawn them all, then await each. Two
 * runs a side. The first is timed: the cost of a spawn, when every task has made its first step (started its sleep),
 * and the time from the first spawn until the last await returned. The second measures the heap each sleeping task
 * holds, a tenth of the sleep after the last spawn, after a full collection: in a run of its own, since that
 * collection stops the loop while the sleeps' clock goes on. Then the same with a virtual thread per sleeper
 * ({@code Thread.sleep} on the JDK's scheduler). The JVM's flags are the caller's: the README's figures come with the
 * default heap and with one sized for the job.
 *
 * <pre>
 * java --add-opens=java.base/java.lang=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar \
 *     dev.weft.bench.tasks.ManyTasksBench [--tasks 1000000] [--sleep 3] [--loop nio|epoll|iouring|vthreads]
 * </pre>
 */
public final class ManyTasksBench {
    private ManyTasksBench() {
    }

    /** What the two runs of one side measured; times from the first spawn, in nanoseconds. */
    record Result(String what, int tasks, long spawned, long started, long allDone, long heapBytes) {
        String line() {
            return String.format(Locale.ROOT, "%-28s %,d tasks: %.2f µs per spawn, all started %.2f s and all done "
                            + "%.2f s after the first spawn, %,d bytes of heap per sleeper", what, tasks,
                    spawned / 1e3 / tasks, started / 1e9, allDone / 1e9, heapBytes / tasks);
        }
    }

    /** One run's figures; heap is -1 in the timed run. */
    private record Run(long spawned, long started, long allDone, long heapBytes) {
        Result with(String what, int tasks, Run heapRun) {
            return new Result(what, tasks, spawned, started, allDone, heapRun.heapBytes);
        }
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        int tasks = options.integer("tasks", 1_000_000);
        Duration sleep = Duration.ofMillis((long) (options.decimal("sleep", 3) * 1000));
        String loop = options.text("loop", null);
        if (loop != null) {
            System.setProperty("weft.loop", loop);
        }
        String loopName = Loops.run(() -> Async.loop().toString());
        System.out.println(weft(tasks, sleep, false).with("Weft tasks (" + loopName + ")", tasks,
                weft(tasks, sleep, true)).line());
        System.out.println(virtualThreads(tasks, sleep, false).with("JDK virtual threads", tasks,
                virtualThreads(tasks, sleep, true)).line());
    }

    static Run weft(int tasks, Duration sleep, boolean measureHeap) throws Exception {
        return Loops.run(() -> {
            long heapBefore = measureHeap ? usedHeap() : 0;
            long start = System.nanoTime();
            List<Task<Void>> sleepers = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sleepers.add(Tasks.spawn(() -> Async.sleep(sleep)));
            }
            long spawned = System.nanoTime() - start;
            Async.sleep(Duration.ZERO); // the tasks' first steps were queued before this one's next
            long started = System.nanoTime() - start;
            long heap = -1;
            if (measureHeap) {
                Async.sleep(sleep.dividedBy(10));
                heap = usedHeap() - heapBefore;
            }
            for (Task<Void> sleeper : sleepers) {
                sleeper.await();
            }
            return new Run(spawned, started, System.nanoTime() - start, heap);
        });
    }

    static Run virtualThreads(int tasks, Duration sleep, boolean measureHeap) throws Exception {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            long heapBefore = measureHeap ? usedHeap() : 0;
            long start = System.nanoTime();
            CountDownLatch asleep = new CountDownLatch(tasks);
            List<Future<?>> sleepers = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sleepers.add(executor.submit(() -> {
                    asleep.countDown();
                    Thread.sleep(sleep);
                    return null;
                }));
            }
            long spawned = System.nanoTime() - start;
            asleep.await();
            long started = System.nanoTime() - start;
            long heap = -1;
            if (measureHeap) {
                Thread.sleep(sleep.dividedBy(10));
                heap = usedHeap() - heapBefore;
            }
            for (Future<?> sleeper : sleepers) {
                sleeper.get();
            }
            return new Run(spawned, started, System.nanoTime() - start, heap);
        }
    }

    /** The heap in use after a full collection: what the live objects hold, not garbage. */
    private static long usedHeap() {
        System.gc();
        var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return memory.getUsed();
    }
}
