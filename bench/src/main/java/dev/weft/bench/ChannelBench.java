package dev.weft.bench;

import dev.weft.channel.Channel;
import dev.weft.channel.Select;
import dev.weft.channel.Selected;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.nio.NioEventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One item handed from a sender to a receiver through an unbuffered channel (a rendezvous): between two tasks of one
 * loop, between tasks of two loops on two threads, and — the JDK's nearest equivalent — between two virtual threads
 * through a {@link SynchronousQueue}; and a select over four channels. Run with {@link AwaitBench} in the same
 * invocation to compare: {@code 'ChannelBench|AwaitBench.roundTrip'}. Goals (issue 15): the same-loop hand-off within
 * 1.5 times the await round trip, the cross-loop one within the SynchronousQueue's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.lang=ALL-UNNAMED")
public class ChannelBench {
    private static final int FLOOR_ITEMS = 10 * Batch.SIZE;

    /** Two tasks of one loop: the main task sends, the other receives. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int sameLoopHandOff(LoopState state) {
        return state.run(() -> {
            Channel<Integer> channel = Channel.unbuffered();
            Task<Integer> receiver = state.loop.createTask(() -> receiveAll(channel));
            sendAll(channel);
            return receiver.await();
        });
    }

    /** A task of loop 0 sends, a task of loop 1 receives: every hand-off crosses threads. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int crossLoopHandOff(GroupState state) throws Exception {
        Channel<Integer> channel = Channel.unbuffered();
        CompletableFuture<Integer> received = state.group.loops().get(1).submit(() -> receiveAll(channel));
        CompletableFuture<Void> sent = state.group.loops().get(0).submit(() -> sendAll(channel));
        sent.get();
        return received.get();
    }

    /**
     * As {@link #crossLoopHandOff}, through a buffer of 64: a sender wakes the receiver's loop only when the receiver
     * waits, so most items cross threads without a wake-up, where loops that sleep between items make every unbuffered
     * hand-off a wake-up. Between two loops that spin, as here, it is the slower: every item goes through the channel's
     * lock, where an unbuffered hand-off meets in the channel's lane without it.
     */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int crossLoopBuffered(GroupState state) throws Exception {
        Channel<Integer> channel = Channel.buffered(64);
        CompletableFuture<Integer> received = state.group.loops().get(1).submit(() -> receiveAll(channel));
        CompletableFuture<Void> sent = state.group.loops().get(0).submit(() -> sendAll(channel));
        sent.get();
        return received.get();
    }

    /** The JDK baseline: two virtual threads of the default scheduler hand items over through a SynchronousQueue. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int synchronousQueueHandOff() throws Exception {
        SynchronousQueue<Integer> queue = new SynchronousQueue<>();
        FutureTask<Integer> receiver = takeAll(queue);
        Thread.startVirtualThread(receiver);
        Thread sender = Thread.startVirtualThread(() -> {
            try {
                for (int i = 0; i < Batch.SIZE; i++) {
                    queue.put(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.join();
        return receiver.get();
    }

    /**
     * The same through a SynchronousQueue between two platform threads: every hand-off crosses threads, as between two
     * loops. (Two virtual threads of the default scheduler often run on one carrier in turn, and then cross nothing.)
     */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int synchronousQueueAcrossThreads() throws Exception {
        SynchronousQueue<Integer> queue = new SynchronousQueue<>();
        FutureTask<Integer> receiver = takeAll(queue);
        Thread.ofPlatform().start(receiver);
        for (int i = 0; i < Batch.SIZE; i++) {
            queue.put(1);
        }
        return receiver.get();
    }

    /**
     * What the hardware charges a hand-off between two threads on two cores: two platform threads pass items through
     * one slot, spinning, never parking — a put waits until the slot is empty, a take until it is full, so each item
     * crosses from one core's cache to the other's and its emptying back. Each side only reads while it waits, and
     * writes once: a side that spun with writes would take the line from the other and slow both. No queue, no lock,
     * no waking. Meant as a floor, it is not one in every state of this project's virtual machines: it moves from run
     * to run with where the host places the two virtual cores, and a cross-loop hand-off was once measured below it
     * (issue 15's notes), so compare rows of one run only. Ten batches per invocation: starting the thread (tens of
     * microseconds) would otherwise weigh on a figure this small.
     */
    @Benchmark
    @OperationsPerInvocation(FLOOR_ITEMS)
    public int spinningSlotAcrossThreads() throws Exception {
        AtomicReference<Integer> slot = new AtomicReference<>();
        FutureTask<Integer> receiver = new FutureTask<>(() -> {
            int sum = 0;
            for (int i = 0; i < FLOOR_ITEMS; i++) {
                Integer item;
                while ((item = slot.get()) == null) { // read until full: a write would take the line from the sender
                    Thread.onSpinWait();
                }
                slot.set(null);
                sum += item;
            }
            return sum;
        });
        Thread.ofPlatform().start(receiver);
        for (int i = 0; i < FLOOR_ITEMS; i++) {
            while (slot.get() != null) {
                Thread.onSpinWait();
            }
            slot.set(1);
        }
        return receiver.get();
    }

    /** A task selects over four unbuffered channels, which another task of its loop feeds in turn. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public int selectOverFour(LoopState state) {
        return state.run(() -> {
            List<Channel<Integer>> channels = new ArrayList<>();
            List<Select.Case> cases = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Channel<Integer> channel = Channel.unbuffered();
                channels.add(channel);
                cases.add(Select.receive(channel));
            }
            Task<Void> sender = state.loop.createTask(() -> {
                for (int i = 0; i < Batch.SIZE; i++) {
                    channels.get(i & 3).send(1);
                }
            });
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                if (Select.of(cases) instanceof Selected.Received<?> received) {
                    sum += (Integer) received.value();
                }
            }
            sender.await();
            return sum;
        });
    }

    /** A receiver that takes a batch from the queue and sums it, for a thread to run. */
    private static FutureTask<Integer> takeAll(SynchronousQueue<Integer> queue) {
        return new FutureTask<>(() -> {
            int sum = 0;
            for (int i = 0; i < Batch.SIZE; i++) {
                sum += queue.take();
            }
            return sum;
        });
    }

    private static void sendAll(Channel<Integer> channel) {
        for (int i = 0; i < Batch.SIZE; i++) {
            channel.send(1);
        }
    }

    private static int receiveAll(Channel<Integer> channel) {
        int sum = 0;
        for (int i = 0; i < Batch.SIZE; i++) {
            sum += channel.receive();
        }
        return sum;
    }

    /** Two NIO loops, each on a thread of its own, in the task mode under test. */
    @State(Scope.Thread)
    public static class GroupState {
        @Param({"CARRIED", "BATON"})
        public String mode;

        public LoopGroup group;

        @Setup(Level.Trial)
        public void open() {
            group = LoopGroup.open(2, () -> new NioEventLoop(TaskMode.valueOf(mode)));
        }

        @TearDown(Level.Trial)
        public void close() {
            group.close();
        }
    }
}
