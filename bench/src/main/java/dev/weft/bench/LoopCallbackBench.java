package dev.weft.bench;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.nio.NioEventLoop;
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

import java.util.concurrent.TimeUnit;

/**
 * The floor under every task benchmark: the loop alone, no tasks. A callback that schedules the next with
 * {@code callSoon} costs one loop iteration per hop, because the core runs callbacks scheduled during an iteration in
 * the next one (so I/O is polled between them, as in asyncio). An await round trip is a few such iterations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Thread)
public class LoopCallbackBench {
    private NioEventLoop loop;

    @Setup(Level.Trial)
    public void open() {
        loop = new NioEventLoop(); // task mode is irrelevant: no task runs here
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /** One op: a callback runs and schedules the next with callSoon. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int callSoonHop() {
        Future<Integer> done = loop.createFuture();
        loop.callSoon(new Hop(loop, done));
        return loop.runUntilComplete(done);
    }

    /** Reschedules itself until the batch is done; one object, so the hop allocates only the loop's handle. */
    private static final class Hop implements Runnable {
        private final EventLoop loop;
        private final Future<Integer> done;
        private int left = Batch.SIZE;

        Hop(EventLoop loop, Future<Integer> done) {
            this.loop = loop;
            this.done = done;
        }

        @Override
        public void run() {
            if (--left == 0) {
                done.setResult(Batch.SIZE);
            } else {
                loop.callSoon(this);
            }
        }
    }
}
