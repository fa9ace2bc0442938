package dev.weft.bench;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The cost of a task's life: create it with a trivial body on a running loop, run it, see it done. Compare with
 * {@link JdkBaselineBench#vthreadStartJoinEach} and {@link JdkBaselineBench#vthreadStartAllJoinAll}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The jar's Add-Opens manifest entry applies to `java -jar` only, not to the JVMs JMH forks: CARRIED needs it here.
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class TaskBench {
    private static final Body<Integer, RuntimeException> ONE = () -> 1;

    /** Latency: spawn one task and await it before the next, so each op also suspends and resumes the parent. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int spawnAwaitEach(LoopState state) {
        return state.run(() -> {
            EventLoop loop = state.loop;
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                sum += loop.createTask(ONE).await();
            }
            return sum;
        });
    }

    /** Throughput: spawn a batch, then await each; the parent suspends about once, so this is spawn + run + done. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int spawnAllAwaitAll(LoopState state) {
        return state.run(() -> {
            EventLoop loop = state.loop;
            @SuppressWarnings("unchecked")
            Task<Integer>[] tasks = new Task[Batch.SIZE];
            for (int i = 0; i < tasks.length; i++) {
                tasks[i] = loop.createTask(ONE);
            }
            int sum = 0;
            for (Task<Integer> task : tasks) {
                sum += task.await();
            }
            return sum;
        });
    }
}
