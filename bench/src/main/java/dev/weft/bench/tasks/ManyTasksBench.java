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
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One million tasks that each sleep, on one loop, as a new user would write it: spawn them all, then await each. Prints
 * the cost of a spawn, the heap each sleeping task holds (measured a tenth of the sleep after the last spawn, a full
 * collection first, its time left out), and the time from the first spawn until the last await returned; the same
 * with a virtual thread per sleeper ({@code Thread.sleep} on the JDK's scheduler) beside it.
 *
 * <pre>
 * java --add-opens=java.base/java.lang=ALL-UNNAMED -Xmx4g -cp bench/target/benchmarks.jar \
 *     dev.weft.bench.tasks.ManyTasksBench [--tasks 1000000] [--sleep 3] [--loop nio|epoll|iouring|vthreads]
 * </pre>
 */
public final class ManyTasksBench {
    private ManyTasksBench() {
    }

    /** What one run measured. */
    record Result(String what, int tasks, long spawnNanos, long heapBytes, long allDoneNanos) {
        String line() {
            return String.format(Locale.ROOT, "%-28s %,d tasks: %.2f µs per spawn, %,d bytes of heap per sleeper, "
                            + "all done %.2f s after the first spawn", what, tasks, spawnNanos / 1e3 / tasks,
                    heapBytes / tasks, allDoneNanos / 1e9);
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
        System.out.println(weft(tasks, sleep).line());
        System.out.println(virtualThreads(tasks, sleep).line());
    }

    static Result weft(int tasks, Duration sleep) throws Exception {
        return Loops.run(() -> {
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            List<Task<Void>> sleepers = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sleepers.add(Tasks.spawn(() -> Async.sleep(sleep)));
            }
            long spawned = System.nanoTime() - start;
            Async.sleep(sleep.dividedBy(10)); // every task has started and sleeps by the time this one wakes
            long measuring = System.nanoTime();
            long heap = usedHeap() - heapBefore;
            long measured = System.nanoTime() - measuring; // the full collection is the bench's, not the tasks'
            for (Task<Void> sleeper : sleepers) {
                sleeper.await();
            }
            return new Result("Weft tasks (" + Async.loop() + ")", tasks, spawned, heap,
                    System.nanoTime() - start - measured);
        });
    }

    static Result virtualThreads(int tasks, Duration sleep) throws Exception {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            List<Future<?>> sleepers = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sleepers.add(executor.submit(() -> {
                    Thread.sleep(sleep);
                    return null;
                }));
            }
            long spawned = System.nanoTime() - start;
            Thread.sleep(sleep.dividedBy(10));
            long measuring = System.nanoTime();
            long heap = usedHeap() - heapBefore;
            long measured = System.nanoTime() - measuring;
            for (Future<?> sleeper : sleepers) {
                sleeper.get();
            }
            return new Result("JDK virtual threads", tasks, spawned, heap, System.nanoTime() - start - measured);
        }
    }

    /** The heap in use after a full collection: what the live objects hold, not garbage. */
    private static long usedHeap() {
        System.gc();
        var memory = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return memory.getUsed();
    }
}
