package dev.weft.bench;

import dev.weft.scope.TaskGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one structured group of {@value #CHILDREN} trivial children, opened, filled and closed: Weft's
 * {@link TaskGroup} against the JDK's nearest stable equivalent, a virtual-thread-per-task executor closed with
 * try-with-resources (StructuredTaskScope is still a preview API in JDK 25).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class StructuredBench {
    static final int CHILDREN = 1000;

    /** One group: spawn {@value #CHILDREN} children that return at once, then close, which awaits them all. */
    @Benchmark
    public int taskGroup(LoopState state) {
        return state.run(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                for (int i = 0; i < CHILDREN; i++) {
                    group.spawn(() -> 1);
                }
            }
            return CHILDREN;
        });
    }

    /** The same on plain virtual threads: an executor's close() waits for every thread it started. */
    @Benchmark
    public int virtualThreadExecutor() throws Exception {
        return JdkBaselineBench.onVirtualThread(() -> {
            try (ExecutorService group = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CHILDREN; i++) {
                    group.submit(() -> 1);
                }
            }
            return CHILDREN;
        });
    }
}
