package dev.weft.bench;

import dev.weft.stream.AsyncStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * One 5-operator pipeline — map, filter, map, takeWhile, reduce to a sum — over 1M boxed integers, four ways side by
 * side: a plain loop, {@code java.util.stream}, an {@link AsyncStream} pulled item by item on the calling thread (no
 * task, no hand-off: the synchronous operators need neither), and the same AsyncStream fed by a generator, whose items
 * cross from a producer task to the consumer task through the stream's buffer (in both task modes). One op is one
 * element: read the scores as ns per element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
@State(Scope.Benchmark)
public class StreamBench {
    static final int N = 1_000_000;
    /** Never reached: takeWhile passes every element, so all four do the same work. */
    static final long LIMIT = Long.MAX_VALUE;

    private final List<Integer> numbers = IntStream.range(0, N).boxed().toList();

    @Benchmark
    @OperationsPerInvocation(N)
    public long plainLoop() {
        long sum = 0;
        for (Integer i : numbers) {
            long tripled = i * 3L;
            if (tripled % 2 == 0) {
                long next = tripled + 1;
                if (next >= LIMIT) {
                    break;
                }
                sum += next;
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long javaUtilStream() {
        return numbers.stream().map(i -> i * 3L).filter(x -> x % 2 == 0).map(x -> x + 1).takeWhile(x -> x < LIMIT)
                .reduce(0L, Long::sum);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long asyncStream() {
        return pipeline(AsyncStream.fromIterable(numbers));
    }

    /** The generator's buffer: a task switch each way per buffer-full. */
    @State(Scope.Benchmark)
    public static class Buffer {
        @Param({"16", "64", "256"})
        public int size;
    }

    /** The generator's items cross from its producer task to the consumer task through its buffer. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long asyncStreamFromGenerator(LoopState state, Buffer buffer) {
        return state.run(() -> pipeline(AsyncStream.<Integer>generate(buffer.size, emit -> {
            for (Integer i : numbers) {
                emit.emit(i);
            }
        })));
    }

    private static long pipeline(AsyncStream<Integer> source) {
        return source.map(i -> i * 3L).filter(x -> x % 2 == 0).map(x -> x + 1).takeWhile(x -> x < LIMIT)
                .reduce(0L, Long::sum);
    }
}
