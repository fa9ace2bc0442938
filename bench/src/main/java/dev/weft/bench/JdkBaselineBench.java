package dev.weft.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * What the same operations cost with plain java.util.concurrent, the yardstick for {@link TaskBench} and
 * {@link AwaitBench}: each batch runs on a virtual thread of the JDK's default scheduler, as a Weft batch runs in a
 * task, and does the same steps with JDK types.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Not needed by these rows; given so that every row of a run forks the same JVM.
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Thread)
public class JdkBaselineBench {
    private static final Runnable NOTHING = () -> {
    };

    /** Completes the futures of {@link #cfRoundTrip}: a single platform thread, as a loop thread is. */
    private ExecutorService completer;

    @Setup(Level.Trial)
    public void open() {
        completer = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void close() {
        completer.shutdownNow();
    }

    /** As {@link TaskBench#spawnAwaitEach}: start a virtual thread with an empty body, join it, next. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int vthreadStartJoinEach() throws Exception {
        return onVirtualThread(() -> {
            for (int i = 0; i < Batch.SIZE; i++) {
                Thread.startVirtualThread(NOTHING).join();
            }
            return Batch.SIZE;
        });
    }

    /** As {@link TaskBench#spawnAllAwaitAll}: start a batch of virtual threads, then join each. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int vthreadStartAllJoinAll() throws Exception {
        return onVirtualThread(() -> {
            Thread[] threads = new Thread[Batch.SIZE];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = Thread.startVirtualThread(NOTHING);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return Batch.SIZE;
        });
    }

    /**
     * As {@link AwaitBench#roundTrip}: a virtual thread joins a CompletableFuture that another thread completes. Plain
     * JDK code has no loop to run the completion on the waiter's own thread, so this is a cross-thread round trip.
     */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int cfRoundTrip() throws Exception {
        return onVirtualThread(() -> {
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                CompletableFuture<Integer> future = new CompletableFuture<>();
                completer.execute(() -> future.complete(1));
                sum += future.join();
            }
            return sum;
        });
    }

    /** As {@link AwaitBench#pingPong}: two virtual threads take turns through single-use CompletableFutures. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int cfPingPong() throws Exception {
        return onVirtualThread(() -> {
            CompletableFuture<Integer>[] ping = futures();
            CompletableFuture<Integer>[] pong = futures();
            Thread ponger = Thread.startVirtualThread(() -> {
                for (int i = 0; i < Batch.SIZE; i++) {
                    pong[i].complete(ping[i].join());
                }
            });
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                ping[i].complete(1);
                sum += pong[i].join();
            }
            ponger.join();
            return sum;
        });
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<Integer>[] futures() {
        CompletableFuture<Integer>[] futures = new CompletableFuture[Batch.SIZE];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = new CompletableFuture<>();
        }
        return futures;
    }

    /** Run the batch on a fresh virtual thread and wait for it from the JMH thread; failures propagate. */
    static int onVirtualThread(Callable<Integer> batch) throws InterruptedException, ExecutionException {
        FutureTask<Integer> task = new FutureTask<>(batch);
        Thread.startVirtualThread(task);
        return task.get();
    }
}
