package dev.weft.testkit;

import dev.weft.channel.Channel;
import dev.weft.channel.ChannelClosedException;
import dev.weft.channel.Overflow;
import dev.weft.channel.Select;
import dev.weft.channel.Selected;
import dev.weft.channel.SendOnClosedChannelException;
import dev.weft.channel.TryReceive;
import dev.weft.loop.Async;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.Tasks;
import dev.weft.scope.Timeout;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.weft.testkit.ChannelTests.assertNoTaskLeft;
import static dev.weft.testkit.ChannelTests.assertOnlyThisTaskLeft;
import static dev.weft.testkit.ChannelTests.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Channel}: the kinds and their overflow policies, waiting and its fairness, closing, the calls that never
 * wait, cancellation, and sharing a channel between loops of a group and plain threads.
 */
public abstract class ChannelSuite extends LoopSuite {

    // ---- kinds

    @Test
    void anUnbufferedSendWaitsUntilAReceiverTakesTheItem() {
        Steps steps = new Steps();
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            Task<Void> sender = Tasks.spawn(() -> {
                steps.expect(1);
                channel.send("hello");
                steps.expect(4);
            });
            Async.sleep(Duration.ZERO);
            steps.expect(2);
            assertFalse(sender.isDone(), "the send waits for a receiver");
            assertEquals(0, channel.size());
            assertEquals("hello", channel.receive());
            steps.expect(3);
            sender.await();
            assertOnlyThisTaskLeft(loop);
            return null;
        });
        steps.finish(5);
    }

    @Test
    void aBufferedSendWaitsOnlyWhileTheBufferIsFullAndItemsComeOutInOrder() {
        run(() -> {
            Channel<Integer> channel = Channel.buffered(3);
            for (int i = 0; i < 3; i++) {
                channel.send(i); // room: no wait
            }
            Task<Void> fourth = Tasks.spawn(() -> channel.send(3));
            Async.sleep(Duration.ZERO);
            assertFalse(fourth.isDone(), "the fourth send waits for room");
            assertEquals(0, channel.receive());
            fourth.await();
            assertEquals(3, channel.size());
            assertEquals(List.of(1, 2, 3), List.of(channel.receive(), channel.receive(), channel.receive()));
            return null;
        });
    }

    @Test
    void overflowPoliciesDropTheOldestOrTheNewestAndAConflatedChannelKeepsTheLatest() {
        run(() -> {
            Channel<Integer> oldestDropped = Channel.buffered(2, Overflow.DROP_OLDEST);
            Channel<Integer> newestDropped = Channel.buffered(2, Overflow.DROP_NEWEST);
            Channel<Integer> latest = Channel.conflated();
            for (int i = 1; i <= 5; i++) {
                oldestDropped.send(i); // none of these waits
                newestDropped.send(i);
                assertTrue(latest.trySend(i));
            }
            oldestDropped.close();
            newestDropped.close();
            latest.close();
            assertEquals(List.of(4, 5), drain(oldestDropped));
            assertEquals(List.of(1, 2), drain(newestDropped));
            assertEquals(List.of(5), drain(latest));
            return null;
        });
    }

    @Test
    void anUnlimitedChannelNeverMakesASenderWait() {
        onLoop(() -> { // a callback cannot wait, so a send that had to would throw here
            Channel<Integer> channel = Channel.unlimited();
            for (int i = 0; i < 100_000; i++) {
                channel.send(i);
            }
            assertEquals(100_000, channel.size());
            assertEquals(Integer.MAX_VALUE, channel.capacity());
        });
    }

    private static <T> List<T> drain(Channel<T> channel) {
        List<T> items = new ArrayList<>();
        channel.forEach(items::add);
        return items;
    }

    // ---- bad input

    @Test
    void badCapacitiesAndNullItemsAreRefusedSayingWhy() {
        var negative = assertThrows(IllegalArgumentException.class, () -> Channel.buffered(-3));
        assertTrue(negative.getMessage().contains("-3"), negative.getMessage());
        var dropping = assertThrows(IllegalArgumentException.class, () -> Channel.buffered(0, Overflow.DROP_OLDEST));
        assertTrue(dropping.getMessage().contains("conflated()"), dropping.getMessage());
        assertEquals(0, Channel.buffered(0).capacity(), "buffered(0) is unbuffered");
        Channel<String> channel = Channel.buffered(1);
        assertThrows(NullPointerException.class, () -> channel.send(null));
        assertThrows(NullPointerException.class, () -> channel.trySend(null));
    }

    // ---- closing

    @Test
    void afterCloseReceiversDrainWhatIsLeftThenSeeTheEndNamingTheChannel() {
        run(() -> {
            Channel<String> channel = Channel.<String>buffered(4).named("jobs");
            channel.send("a");
            channel.send("b");
            assertTrue(channel.close());
            assertFalse(channel.close(), "closing again is harmless");
            assertTrue(channel.isClosed());
            assertEquals("a", channel.receive());
            assertEquals(new TryReceive.Item<>("b"), channel.tryReceive());
            var end = assertThrows(ChannelClosedException.class, channel::receive);
            assertTrue(end.getMessage().contains("'jobs'"), end.getMessage());
            assertSame(channel, end.channel());
            assertEquals(new TryReceive.Closed<>(), channel.tryReceive());
            var send = assertThrows(SendOnClosedChannelException.class, () -> channel.send("c"));
            assertTrue(send.getMessage().contains("'jobs' [buffered(4), closed]"), send.getMessage());
            assertSame(channel, send.channel());
            assertThrows(SendOnClosedChannelException.class, () -> channel.trySend("c"));
            return null;
        });
    }

    @Test
    void closeWakesWaitingReceiversWithTheEndAndWaitingSendersWithTheirError() {
        run(() -> {
            Channel<String> empty = Channel.unbuffered();
            Channel<String> full = Channel.buffered(1);
            full.send("kept");
            Task<String> receiver = Tasks.spawn(empty::receive);
            Task<Void> sender = Tasks.spawn(() -> full.send("refused"));
            Async.sleep(Duration.ZERO);
            empty.close();
            full.close();
            assertThrows(ChannelClosedException.class, receiver::await);
            assertThrows(SendOnClosedChannelException.class, sender::await);
            assertEquals(List.of("kept"), drain(full), "the refused item was not sent");
            return null;
        });
    }

    @Test
    void forEachEndsOnceTheChannelIsClosedAndDrained() {
        long total = run(() -> {
            Channel<Integer> channel = Channel.buffered(16);
            Tasks.spawn(() -> {
                for (int i = 1; i <= 100; i++) {
                    channel.send(i);
                }
                channel.close();
            });
            long sum = 0;
            for (int value : channel) {
                sum += value;
            }
            Async.sleep(Duration.ZERO); // the sender's last step
            assertOnlyThisTaskLeft(loop);
            return sum;
        });
        assertEquals(5050, total);
    }

    // ---- calls that never wait

    @Test
    void trySendAndTryReceiveNeverWaitAndSayWhatTheyFound() {
        onLoop(() -> {
            Channel<String> channel = Channel.buffered(1);
            assertEquals(new TryReceive.Empty<>(), channel.tryReceive());
            assertTrue(channel.tryReceive().item().isEmpty());
            assertTrue(channel.trySend("a"));
            assertFalse(channel.trySend("b"), "full");
            assertEquals("a", channel.tryReceive().item().orElseThrow());
            assertFalse(Channel.unbuffered().trySend("x"), "no receiver waits");
        });
    }

    @Test
    void aLoopCallbackThatWouldHaveToWaitFailsAtOnce() {
        onLoop(() -> {
            Channel<String> channel = Channel.<String>unbuffered().named("ticks");
            var receive = assertThrows(BlockingOnLoopException.class, channel::receive);
            assertTrue(receive.getMessage().contains("Channel.receive()") && receive.getMessage().contains("tryReceive"),
                    receive.getMessage());
            assertThrows(BlockingOnLoopException.class, () -> channel.send("x"));
            Channel<String> buffered = Channel.buffered(1);
            buffered.send("fits"); // needs no wait
            assertEquals("fits", buffered.receive());
        });
    }

    // ---- fairness

    @Test
    void waitingReceiversAndWaitingSendersAreServedInTheOrderTheyCame() {
        run(() -> {
            Channel<String> channel = Channel.buffered(1);
            List<Task<String>> receivers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                receivers.add(Tasks.spawn(channel::receive));
            }
            Async.sleep(Duration.ZERO);
            for (String item : List.of("a", "b", "c")) {
                channel.send(item);
            }
            assertEquals(List.of("a", "b", "c"), List.of(receivers.get(0).await(), receivers.get(1).await(),
                    receivers.get(2).await()));

            channel.send("first");
            List<Task<Void>> senders = new ArrayList<>();
            for (String item : List.of("x", "y", "z")) {
                senders.add(Tasks.spawn(() -> channel.send(item)));
                Async.sleep(Duration.ZERO); // each is queued before the next comes
            }
            assertEquals(List.of("first", "x", "y", "z"), List.of(channel.receive(), channel.receive(),
                    channel.receive(), channel.receive()));
            for (Task<Void> sender : senders) {
                sender.await();
            }
            return null;
        });
    }

    /**
     * As above, through an unbuffered channel, whose waiters may first spin in its lock-free lane: the one that spun
     * there and then queued is still served before those that came after it.
     */
    @Test
    void waitingTasksOfAnUnbufferedChannelAreServedInTheOrderTheyCame() {
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            List<Task<Void>> senders = new ArrayList<>();
            for (String item : List.of("x", "y", "z")) {
                senders.add(Tasks.spawn(() -> channel.send(item)));
                Async.sleep(Duration.ZERO); // each is queued before the next comes
            }
            assertEquals(List.of("x", "y", "z"), List.of(channel.receive(), channel.receive(), channel.receive()));
            for (Task<Void> sender : senders) {
                sender.await();
            }

            List<Task<String>> receivers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                receivers.add(Tasks.spawn(channel::receive));
                Async.sleep(Duration.ZERO);
            }
            for (String item : List.of("a", "b", "c")) {
                assertTrue(channel.trySend(item));
            }
            assertEquals(List.of("a", "b", "c"), List.of(receivers.get(0).await(), receivers.get(1).await(),
                    receivers.get(2).await()));
            return null;
        });
    }

    @Test
    void waitingThreadsOfAnUnbufferedChannelAreServedInTheOrderTheyCame() throws Exception {
        Channel<String> channel = Channel.unbuffered();
        List<ForeignThread<Void>> senders = new ArrayList<>();
        for (String item : List.of("x", "y", "z")) {
            ForeignThread<Void> sender = onForeignThread(() -> {
                channel.send(item);
                return null;
            });
            sender.awaitParked(); // queued before the next comes
            senders.add(sender);
        }
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            received.add(((TryReceive.Item<String>) channel.tryReceive()).value());
        }
        for (ForeignThread<Void> sender : senders) {
            within(sender.result());
        }
        assertEquals(List.of("x", "y", "z"), received);
    }

    /**
     * A task waits for a channel's busy lock (its loop runs on meanwhile), then a callback of the same loop wants the
     * same lock, and the holder lets go: both get it in turn. A loop's own thread once waited in the lock's queue behind
     * its own task, to which the lock was then handed — a task only that waiting thread could run: the loop hung.
     */
    @Test
    void aCallbackWantingTheLockItsOwnLoopsTaskWaitsForDoesNotHangTheLoop() throws Exception {
        assumeTrue(taskMode() == TaskMode.CARRIED,
                "a baton task that waits for a lock keeps its loop's baton: no callback runs meanwhile");
        Channel<String> channel = Channel.unbuffered();
        Method lock = Channel.class.getDeclaredMethod("lock");
        Method unlock = Channel.class.getDeclaredMethod("unlock");
        lock.setAccessible(true);
        unlock.setAccessible(true);
        lock.invoke(channel); // held by this thread, as by any other side for a moment
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        ForeignThread<Boolean> running = onForeignThread(() -> run(() -> {
            EventLoop.current().callLater(Duration.ofMillis(20), () -> {
                callbackThread.set(Thread.currentThread());
                channel.tryReceive(); // on the loop's thread, outside the task
            });
            return channel.trySend("x"); // the task spins, then waits for the lock, and its loop runs on
        }));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!waitsForTheLockPastItsSpin(callbackThread.get())) { // parked (the hang) or yielding (the fix)
            assertTrue(System.nanoTime() < deadline, "the callback never came to wait for the lock");
            Thread.onSpinWait();
        }
        unlock.invoke(channel);
        assertFalse(within(running.result()), "the loop went on after the holder let go");
    }

    private static boolean waitsForTheLockPastItsSpin(Thread thread) {
        if (thread == null) {
            return false;
        }
        boolean inLock = false;
        boolean yielding = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            inLock |= frame.getClassName().equals(Channel.class.getName()) && frame.getMethodName().equals("lock");
            yielding |= frame.getMethodName().startsWith("yield");
        }
        return inLock && (yielding || thread.getState() == Thread.State.WAITING);
    }

    // ---- cancellation

    @Test
    void aReceiverCancelledWhileWaitingTakesNothingAndTheItemGoesToTheNext() {
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            Task<String> cancelled = Tasks.spawn(channel::receive);
            Task<String> next = Tasks.spawn(channel::receive);
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            channel.send("a");
            assertEquals("a", next.await());
            assertFalse(channel.trySend("b"), "no receiver is left waiting");
            assertFalse(channel.toString().contains("queued"), "the cancelled receiver left the queue: " + channel);
            return null;
        });
    }

    @Test
    void aSenderCancelledWhileWaitingSendsNothing() {
        run(() -> {
            Channel<String> channel = Channel.buffered(1);
            channel.send("first");
            Task<Void> cancelled = Tasks.spawn(() -> channel.send("never"));
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            assertEquals("first", channel.receive());
            assertEquals(new TryReceive.Empty<>(), channel.tryReceive(), "the cancelled send left nothing behind");
            assertFalse(channel.toString().contains("queued"), "the cancelled sender left the queue: " + channel);
            return null;
        });
    }

    /**
     * The item was handed to the waiting receiver before the cancellation landed: the receive returns it (nothing is
     * lost) and the cancellation stands, thrown by the task's next wait. The same for a send whose item was taken.
     */
    @Test
    void aCancellationThatLandsAfterTheHandOverLetsTheCallCompleteAndStands() {
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            Task<String> receiver = Tasks.spawn(() -> {
                String got = channel.receive();
                assertThrows(CancellationException.class, () -> Async.sleep(Duration.ZERO), "the cancellation stands");
                return got;
            });
            Task<String> sender = Tasks.spawn(() -> {
                Async.sleep(Duration.ZERO); // after the receiver is served
                channel.send("taken");
                assertThrows(CancellationException.class, () -> Async.sleep(Duration.ZERO), "the cancellation stands");
                return "sent";
            });
            Async.sleep(Duration.ZERO);
            assertTrue(channel.trySend("handed"), "handed to the waiting receiver");
            receiver.cancel();
            assertEquals("handed", receiver.await());
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            assertEquals(new TryReceive.Item<>("taken"), channel.tryReceive(), "taken from the waiting sender");
            sender.cancel();
            assertEquals("sent", sender.await());
            return null;
        });
    }

    /**
     * A Timeout around a receive, on virtual time: an item handed over in the same instant as the deadline is returned
     * (the timeout's cancellation came second), and an item sent after the deadline finds no receiver left.
     */
    @Test
    void aTimeoutAroundAReceiveNeverLosesAnItem() {
        VirtualClock.install(loop);
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            List<Boolean> accepted = new ArrayList<>();
            loop.callLater(Duration.ofSeconds(1), () -> accepted.add(channel.trySend("just in time")));
            assertEquals("just in time", Timeout.after(Duration.ofSeconds(1), channel::receive));
            loop.callLater(Duration.ofSeconds(2), () -> accepted.add(channel.trySend("too late")));
            assertThrows(DeadlineExceededException.class, () -> Timeout.after(Duration.ofSeconds(1), channel::receive));
            Async.sleep(Duration.ofSeconds(2));
            assertEquals(List.of(true, false), accepted, "the late item was refused, so its sender still has it");
            return null;
        });
    }

    @Test
    void aCancelledTaskCannotSendOrReceiveEvenWithoutWaiting() {
        run(() -> {
            Channel<String> channel = Channel.buffered(2);
            channel.send("a");
            Task<String> task = Tasks.spawn(() -> {
                Task.currentOrNull().cancel();
                assertThrows(CancellationException.class, channel::receive);
                assertThrows(CancellationException.class, () -> channel.send("b"));
                return "done";
            });
            assertEquals("done", task.await());
            assertEquals(List.of("a"), List.of(channel.receive()));
            assertEquals(0, channel.size());
            return null;
        });
    }

    // ---- threads and loops

    @Test
    void aThreadThatRunsNoLoopBlocksAndATaskSuspends() throws Exception {
        Channel<Integer> toTask = Channel.unbuffered();
        Channel<Integer> toThread = Channel.unbuffered();
        ForeignThread<Long> thread = onForeignThread(() -> {
            long sum = 0;
            for (int i = 0; i < 1000; i++) {
                toTask.send(i);
                sum += toThread.receive();
            }
            toTask.close();
            return sum;
        });
        long echoed = run(() -> {
            long sum = 0;
            for (int value : toTask) {
                sum += value;
                toThread.send(value * 2);
            }
            return sum;
        });
        assertEquals(499_500, echoed);
        assertEquals(999_000, within(thread.result()));
    }

    @Test
    void anInterruptedThreadLeavesTheQueueHavingTakenNothing() throws Exception {
        Channel<String> channel = Channel.unbuffered();
        ForeignThread<String> thread = onForeignThread(channel::receive);
        thread.awaitParked();
        thread.thread().interrupt();
        assertThrows(CancellationException.class, () -> within(thread.result()));
        assertFalse(channel.trySend("x"), "the interrupted receiver left the queue");
    }

    @Test
    void tasksOfTwoLoopsOnTwoThreadsPassItemsInOrderAndEachWakesOnItsOwnLoop() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            EventLoop producerLoop = group.loops().get(0);
            EventLoop consumerLoop = group.loops().get(1);
            Channel<Integer> channel = Channel.<Integer>unbuffered().named("cross");
            CompletableFuture<List<Integer>> received = consumerLoop.submit(() -> {
                List<Integer> all = new ArrayList<>();
                for (int value : channel) {
                    assertSame(consumerLoop, EventLoop.current(), "the receiver resumes on its own loop");
                    all.add(value);
                }
                return all;
            });
            CompletableFuture<Void> sent = producerLoop.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    channel.send(i);
                    assertSame(producerLoop, EventLoop.current(), "the sender resumes on its own loop");
                }
                channel.close();
            });
            within(sent);
            assertEquals(IntStream.range(0, 10_000).boxed().toList(), within(received));
            assertNoTaskLeft(group);
        }
    }

    /**
     * Receivers on one loop cancelled at random moments while a sender on another loop hands them items, and a plain
     * thread interrupted at random moments while it receives too: a receive that returned got its item, one that threw
     * took none, so every item arrives exactly once.
     */
    @Test
    void receiversCancelledOrInterruptedWhileItemsArriveFromAnotherLoopLoseNothing() throws Exception {
        int count = 3_000;
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            Channel<Integer> channel = Channel.unbuffered();
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> sender = group.loops().get(0).submit(() -> {
                for (int i = 0; i < count; i++) {
                    channel.send(i);
                }
                channel.close();
            });
            CompletableFuture<Void> cancelledReceivers = group.loops().get(1).submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (true) {
                    Task<Integer> receiver = Tasks.spawn(channel::receive);
                    for (int turns = random.nextInt(3); turns > 0; turns--) {
                        Async.sleep(Duration.ZERO);
                    }
                    receiver.cancel();
                    try {
                        int value = receiver.await();
                        assertTrue(seen.add(value), value + " received twice");
                    } catch (CancellationException cancelled) {
                        // took nothing
                    } catch (ChannelClosedException end) {
                        return;
                    }
                }
            });
            AtomicBoolean receiving = new AtomicBoolean(true);
            ForeignThread<Void> interruptedReceiver = onForeignThread(() -> {
                try {
                    while (true) {
                        try {
                            int value = channel.receive();
                            assertTrue(seen.add(value), value + " received twice");
                        } catch (CancellationException interrupted) {
                            Thread.interrupted(); // took nothing; go on
                        } catch (ChannelClosedException end) {
                            return null;
                        }
                    }
                } finally {
                    receiving.set(false);
                }
            });
            ForeignThread<Void> interrupter = onForeignThread(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (receiving.get()) {
                    for (int spins = random.nextInt(20_000); spins > 0; spins--) {
                        Thread.onSpinWait();
                    }
                    interruptedReceiver.thread().interrupt();
                }
                return null;
            });
            within(sender);
            within(cancelledReceivers);
            within(interruptedReceiver.result());
            within(interrupter.result());
            assertEquals(IntStream.range(0, count).boxed().collect(Collectors.toSet()), seen);
            assertNoTaskLeft(group);
        }
    }

    /** Producers and consumers on two loops and a plain thread: every item is received exactly once. */
    @Test
    void manySendersAndReceiversOnLoopsAndThreadsSeeEveryItemExactlyOnce() throws Exception {
        everyItemExactlyOnce(Channel.buffered(4));
    }

    /**
     * The same through an unbuffered channel, where a task spinning for its counterpart waits in the lock-free lane
     * while others queue behind the lock: the lane's waiter and the queue's must never both get, or both lose, an item.
     */
    @Test
    void manySendersAndReceiversOnLoopsAndThreadsSeeEveryItemOfAnUnbufferedChannelExactlyOnce() throws Exception {
        everyItemExactlyOnce(Channel.unbuffered());
    }

    /**
     * A task of one loop sends, a task of another receives, and the channel is closed at a random moment, round after
     * round: every send that returned was received, in order, and the send that failed on the close was not.
     */
    @Test
    void aCloseRacingAHandOffBetweenLoopsLosesNoItemAndDeliversNoRefusedOne() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            for (int round = 0; round < 500; round++) {
                Channel<Integer> channel = Channel.unbuffered();
                int closeAfter = ThreadLocalRandom.current().nextInt(1, 50);
                CompletableFuture<List<Integer>> sent = group.loops().get(0).submit(() -> {
                    List<Integer> returned = new ArrayList<>();
                    try {
                        for (int i = 0; ; i++) {
                            channel.send(i);
                            returned.add(i);
                        }
                    } catch (SendOnClosedChannelException refused) {
                        return returned;
                    }
                });
                CompletableFuture<List<Integer>> received = group.loops().get(1).submit(() -> {
                    List<Integer> all = new ArrayList<>();
                    for (int value : channel) {
                        all.add(value);
                        if (all.size() == closeAfter) {
                            for (int spins = ThreadLocalRandom.current().nextInt(2_000); spins > 0; spins--) {
                                Thread.onSpinWait();
                            }
                            channel.close();
                        }
                    }
                    return all;
                });
                assertEquals(within(sent), within(received), "round " + round);
            }
            assertNoTaskLeft(group);
        }
    }

    /**
     * Plain sends and receives, selects and a plain thread share one unbuffered channel across two loops: a select
     * finds a task waiting in the lane as it finds one in the queue, and every item is received exactly once.
     */
    @Test
    void plainCallsAndSelectsOnOneUnbufferedChannelAcrossLoopsPassEachItemOnce() throws Exception {
        int perSender = 3_000;
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            Channel<Integer> channel = Channel.unbuffered();
            Channel<Integer> never = Channel.unbuffered();
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> plainSender = group.loops().get(0).submit(() -> {
                for (int i = 0; i < perSender; i++) {
                    channel.send(i);
                }
            });
            CompletableFuture<Void> selectingSender = group.loops().get(1).submit(() -> {
                for (int i = perSender; i < 2 * perSender; i++) {
                    assertTrue(Select.of(Select.send(channel, i), Select.receive(never)) instanceof Selected.Sent<?>);
                }
            });
            CompletableFuture<Integer> plainReceiver = group.loops().get(1).submit(() -> countInto(channel, seen));
            CompletableFuture<Integer> selectingReceiver = group.loops().get(0).submit(() -> {
                int count = 0;
                while (Select.of(Select.receive(channel), Select.receive(never)) instanceof Selected.Received<?> got) {
                    assertTrue(seen.add((Integer) got.value()), got.value() + " received twice");
                    count++;
                }
                return count;
            });
            ForeignThread<Integer> threadReceiver = onForeignThread(() -> countInto(channel, seen));
            within(plainSender);
            within(selectingSender);
            channel.close();
            int total = within(plainReceiver) + within(selectingReceiver) + within(threadReceiver.result());
            assertEquals(2 * perSender, total, "items received");
            assertEquals(IntStream.range(0, 2 * perSender).boxed().collect(Collectors.toSet()), seen);
            assertNoTaskLeft(group);
        }
    }

    private void everyItemExactlyOnce(Channel<Integer> channel) throws Exception {
        int perSender = 5_000;
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Integer>> receivers = new ArrayList<>();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int from = s * perSender;
                senders.add(group.loops().get(s % 2).submit(() -> {
                    for (int i = from; i < from + perSender; i++) {
                        channel.send(i);
                    }
                }));
            }
            ForeignThread<Void> threadSender = onForeignThread(() -> {
                for (int i = 4 * perSender; i < 5 * perSender; i++) {
                    channel.send(i);
                }
                return null;
            });
            for (int r = 0; r < 4; r++) {
                receivers.add(group.loops().get(r % 2).submit(() -> countInto(channel, seen)));
            }
            ForeignThread<Integer> threadReceiver = onForeignThread(() -> countInto(channel, seen));
            for (CompletableFuture<Void> sender : senders) {
                within(sender);
            }
            within(threadSender.result());
            channel.close();
            int total = within(threadReceiver.result());
            for (CompletableFuture<Integer> receiver : receivers) {
                total += within(receiver);
            }
            assertEquals(5 * perSender, total, "items received");
            assertEquals(IntStream.range(0, 5 * perSender).boxed().collect(Collectors.toSet()), seen);
            assertNoTaskLeft(group);
        }
    }

    private static int countInto(Channel<Integer> channel, Set<Integer> seen) {
        int count = 0;
        for (int value : channel) {
            assertTrue(seen.add(value), value + " received twice");
            count++;
        }
        return count;
    }
}
