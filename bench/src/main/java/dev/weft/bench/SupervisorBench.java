package dev.weft.bench;

import dev.weft.loop.Async;
import dev.weft.loop.Tasks;
import dev.weft.supervise.Supervisor;
import dev.weft.sync.Event;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a supervised restart costs: a permanent child that returns at once, restarted by a one-for-one supervisor, side
 * by side with the same body spawned and awaited as a plain task. The difference is the supervisor's bookkeeping per
 * restart: the end put into its queue, its task woken, the restart limit checked, the new run started and its start
 * awaited. The INFO record of each restart is filtered out (as in production, where INFO is rarely on), so the row
 * measures the supervisor, not the console.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Benchmark)
public class SupervisorBench {
    private static final Logger SUPERVISE_LOG = Logger.getLogger("dev.weft.supervise"); // held: loggers are weak

    @Setup
    public void quietRestarts() {
        SUPERVISE_LOG.setLevel(Level.WARNING);
    }

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int supervisedRestart(LoopState state) {
        return state.run(() -> {
            Event done = new Event();
            int[] runs = {0};
            var spec = Supervisor.oneForOne().maxRestarts(Batch.SIZE, Duration.ofHours(1)).child("child", () -> {
                if (++runs[0] > Batch.SIZE) {
                    done.set();
                    Async.sleep(Duration.ofHours(1)); // until the supervisor stops it
                }
            });
            try (Supervisor supervisor = spec.start()) {
                done.await();
            }
            return runs[0];
        });
    }

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int spawnAndAwait(LoopState state) {
        return state.run(() -> {
            int[] runs = {0};
            for (int i = 0; i < Batch.SIZE; i++) {
                Tasks.spawn(() -> {
                    runs[0]++;
                }).await();
            }
            return runs[0];
        });
    }
}
