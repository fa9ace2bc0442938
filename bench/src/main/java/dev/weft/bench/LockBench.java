package dev.weft.bench;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.Lock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One acquire and release of a lock, free or fought over: Weft's {@link Lock} against {@link ReentrantLock} on virtual
 * threads. Contention means something different on each side, and the rows say so: Weft's tasks share one thread, so
 * a lock is contended only when its holder awaits while holding it; the JDK's virtual threads run on both cores, so
 * they contend for real. Each contended holder gives way once while it holds the lock (Weft: a zero sleep, one loop
 * iteration; JDK: Thread.yield()), so every acquire waits behind the others.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class LockBench {
    static final int CONTENDERS = 4;

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int weftUncontended(LoopState state) {
        return state.run(() -> {
            Lock lock = new Lock();
            for (int i = 0; i < Batch.SIZE; i++) {
                lock.acquire();
                lock.release();
            }
            return Batch.SIZE;
        });
    }

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int reentrantLockUncontended() throws Exception {
        return JdkBaselineBench.onVirtualThread(() -> {
            ReentrantLock lock = new ReentrantLock();
            for (int i = 0; i < Batch.SIZE; i++) {
                lock.lock();
                lock.unlock();
            }
            return Batch.SIZE;
        });
    }

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int weftContended(LoopState state) {
        return state.run(() -> {
            Lock lock = new Lock();
            List<Task<Void>> contenders = new ArrayList<>();
            for (int c = 0; c < CONTENDERS; c++) {
                contenders.add(Tasks.spawn(() -> {
                    for (int i = 0; i < Batch.SIZE / CONTENDERS; i++) {
                        lock.acquire();
                        try {
                            Async.sleep(Duration.ZERO); // give way while holding: the others queue up
                        } finally {
                            lock.release();
                        }
                    }
                    return null;
                }));
            }
            for (Task<Void> contender : contenders) {
                contender.await();
            }
            return Batch.SIZE;
        });
    }

    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int reentrantLockContended() throws Exception {
        return JdkBaselineBench.onVirtualThread(() -> {
            ReentrantLock lock = new ReentrantLock(true); // fair, as Weft's Lock is FIFO
            List<Thread> contenders = new ArrayList<>();
            for (int c = 0; c < CONTENDERS; c++) {
                contenders.add(Thread.startVirtualThread(() -> {
                    for (int i = 0; i < Batch.SIZE / CONTENDERS; i++) {
                        lock.lock();
                        try {
                            Thread.yield();
                        } finally {
                            lock.unlock();
                        }
                    }
                }));
            }
            for (Thread contender : contenders) {
                contender.join();
            }
            return Batch.SIZE;
        });
    }
}
