package dev.weft.bench;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
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
 * The cost of one await that really suspends: the task gives the loop up, and comes back when the future is done.
 * Compare with {@link JdkBaselineBench#cfRoundTrip}, {@link JdkBaselineBench#cfPingPong} and
 * {@link LoopCallbackBench#callSoonHop} (an await round trip takes a few loop iterations).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// The jar's Add-Opens manifest entry applies to `java -jar` only, not to the JVMs JMH forks: CARRIED needs it here.
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class AwaitBench {

    /** A task awaits a pending future that a loop callback completes: suspend, complete, resume. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int roundTrip(LoopState state) {
        return state.run(() -> {
            EventLoop loop = state.loop;
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                Future<Integer> future = loop.createFuture();
                loop.callSoon(() -> future.setResult(1));
                sum += future.await();
            }
            return sum;
        });
    }

    /**
     * Two tasks take turns: the main task completes ping[i] and awaits pong[i]; the other awaits ping[i] and completes
     * pong[i]. One op is one full exchange, two task switches. The futures are made up front because each is
     * single-use and both tasks must see them; making them costs little next to a switch.
     */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int pingPong(LoopState state) {
        return state.run(() -> {
            EventLoop loop = state.loop;
            Future<Integer>[] ping = futures(loop);
            Future<Integer>[] pong = futures(loop);
            Task<Integer> ponger = loop.createTask(() -> {
                for (int i = 0; i < Batch.SIZE; i++) {
                    pong[i].setResult(ping[i].await());
                }
                return Batch.SIZE;
            });
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                ping[i].setResult(1);
                sum += pong[i].await();
            }
            return sum + ponger.await();
        });
    }

    @SuppressWarnings("unchecked")
    private static Future<Integer>[] futures(EventLoop loop) {
        Future<Integer>[] futures = new Future[Batch.SIZE];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = loop.createFuture();
        }
        return futures;
    }
}
