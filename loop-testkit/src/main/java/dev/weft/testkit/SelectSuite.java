package dev.weft.testkit;

import dev.weft.channel.Channel;
import dev.weft.channel.Select;
import dev.weft.channel.Selected;
import dev.weft.channel.Selected.Closed;
import dev.weft.channel.Selected.Completed;
import dev.weft.channel.Selected.Default;
import dev.weft.channel.Selected.Received;
import dev.weft.channel.Selected.Sent;
import dev.weft.channel.Selected.TimedOut;
import dev.weft.channel.SendOnClosedChannelException;
import dev.weft.channel.TryReceive;
import dev.weft.loop.Async;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.weft.testkit.ChannelTests.assertNoTaskLeft;
import static dev.weft.testkit.ChannelTests.assertOnlyThisTaskLeft;
import static dev.weft.testkit.ChannelTests.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Select}: what each case gives, the default and the timeout (on virtual time), fairness among ready cases,
 * exactly one case done however many are ready or racing, nothing taken by a select that times out or is cancelled,
 * and selects across the loops of a group and on plain threads.
 */
public abstract class SelectSuite extends LoopSuite {

    // ---- bad input

    @Test
    void aSelectWithNoCasesOrContradictoryCasesIsRefusedSayingWhy() {
        var none = assertThrows(IllegalArgumentException.class, () -> Select.of());
        assertTrue(none.getMessage().contains("at least one case"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Select.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Select.of(Select.defaultCase(), Select.defaultCase()));
        var both = assertThrows(IllegalArgumentException.class,
                () -> Select.of(Select.defaultCase(), Select.timeout(Duration.ofSeconds(1))));
        assertTrue(both.getMessage().contains("timeout"), both.getMessage());
        assertThrows(NullPointerException.class, () -> Select.send(Channel.unbuffered(), null));
    }

    @Test
    void aSendCaseOnAClosedChannelThrowsNamingItEvenWhenAnotherCaseIsReady() {
        run(() -> {
            Channel<String> closed = Channel.<String>buffered(1).named("results");
            closed.close();
            Channel<String> ready = Channel.buffered(1);
            ready.send("x");
            for (int i = 0; i < 20; i++) { // whatever order the select looks in
                var error = assertThrows(SendOnClosedChannelException.class,
                        () -> Select.of(Select.receive(ready), Select.send(closed, "y")));
                assertTrue(error.getMessage().contains("'results'"), error.getMessage());
            }
            assertEquals("x", ready.receive(), "nothing was taken");

            Channel<String> closing = Channel.<String>unbuffered().named("closing");
            Channel<String> idle = Channel.unbuffered();
            Task<Selected> waiting = Tasks.spawn(() -> Select.of(Select.send(closing, "z"), Select.receive(idle)));
            Async.sleep(Duration.ZERO);
            closing.close();
            var whileWaiting = assertThrows(SendOnClosedChannelException.class, waiting::await);
            assertSame(closing, whileWaiting.channel());
            assertFalse(idle.trySend("w"), "the select left idle's queue too");
            return null;
        });
    }

    // ---- what each case gives

    @Test
    void aReadyReceiveOrSendIsDoneAtOnceAndSaysWhichChannel() {
        run(() -> {
            Channel<String> jobs = Channel.<String>buffered(1).named("jobs");
            Channel<String> quit = Channel.unbuffered();
            jobs.send("job-1");
            Selected got = Select.of(Select.receive(jobs), Select.receive(quit));
            assertEquals(new Received<>(jobs, "job-1"), got);
            String job = switch (got) {
                case Received<?> r when r.channel() == jobs -> r.valueFrom(jobs);
                default -> "other";
            };
            assertEquals("job-1", job);
            assertThrows(IllegalArgumentException.class, () -> ((Received<?>) got).valueFrom(quit));
            assertEquals(new Sent<>(jobs), Select.of(Select.send(jobs, "job-2"), Select.receive(quit)));
            assertEquals("job-2", jobs.receive());
            return null;
        });
    }

    @Test
    void theDefaultCaseIsChosenOnlyWhenNothingIsReady() {
        onLoop(() -> { // a select with a default never waits, so it works in a callback too
            Channel<String> channel = Channel.buffered(1);
            assertEquals(new Default(), Select.of(Select.receive(channel), Select.defaultCase()));
            channel.send("a");
            assertEquals(new Received<>(channel, "a"), Select.of(Select.receive(channel), Select.defaultCase()));
            var wait = assertThrows(BlockingOnLoopException.class, () -> Select.of(Select.receive(channel)));
            assertTrue(wait.getMessage().contains("Select.of()"), wait.getMessage());
        });
    }

    @Test
    void aReceiveCaseOnAClosedAndDrainedChannelIsReadyWithClosed() {
        run(() -> {
            Channel<String> done = Channel.buffered(1);
            Channel<String> idle = Channel.unbuffered();
            done.send("last");
            done.close();
            assertEquals(new Received<>(done, "last"), Select.of(Select.receive(done), Select.receive(idle)));
            assertEquals(new Closed(done), Select.of(Select.receive(done), Select.receive(idle)));
            Channel<String> later = Channel.unbuffered();
            Task<Selected> waiting = Tasks.spawn(() -> Select.of(Select.receive(later), Select.receive(idle)));
            Async.sleep(Duration.ZERO);
            later.close();
            assertEquals(new Closed(later), waiting.await());
            return null;
        });
    }

    @Test
    void aSelectWaitsForTheFirstCaseThatBecomesReadyAndWithdrawsFromTheOthers() {
        run(() -> {
            Channel<String> a = Channel.unbuffered();
            Channel<String> b = Channel.unbuffered();
            Task<Selected> select = Tasks.spawn(() -> Select.of(Select.receive(a), Select.receive(b)));
            Async.sleep(Duration.ZERO);
            assertFalse(select.isDone());
            b.send("from b");
            assertEquals(new Received<>(b, "from b"), select.await());
            assertFalse(a.trySend("x"), "the select no longer waits on a");
            return null;
        });
    }

    /**
     * A stage cannot take a callback back. A completion case made once and used by select after select that time out
     * (on virtual time) must still not keep a callback, a waiter and its future per select: the live heap stays flat.
     */
    @Test
    void aStageCaseUsedByManySelectsKeepsNothingOfThem() {
        VirtualClock.install(loop);
        CompletableFuture<String> shutdown = new CompletableFuture<>();
        Select.Case onShutdown = Select.completion(shutdown);
        Channel<String> idle = Channel.unbuffered();
        run(() -> {
            long before = LiveHeap.bytes();
            for (int i = 0; i < 20_000; i++) {
                assertEquals(new TimedOut(), Select.of(onShutdown, Select.receive(idle),
                        Select.timeout(Duration.ofMillis(1))));
            }
            long grown = LiveHeap.bytes() - before;
            assertTrue(grown < 1_000_000, "20000 selects that ended left " + grown + " bytes behind");
            Task<Selected> waiting = Tasks.spawn(() -> Select.of(onShutdown, Select.receive(idle)));
            Async.sleep(Duration.ZERO);
            shutdown.complete("now");
            assertEquals(new Completed<>(shutdown, new Outcome.Success<>("now")), waiting.await());
            return null;
        });
    }

    /**
     * A select in a loop over a channel that is never ready leaves nothing queued on it, however often it runs and
     * however it ends: another case done, timed out, or cancelled.
     */
    @Test
    void finishedSelectsLeaveNothingQueuedOnTheirChannels() {
        VirtualClock.install(loop);
        run(() -> {
            Channel<String> quit = Channel.<String>unbuffered().named("quit");
            Channel<String> out = Channel.<String>unbuffered().named("out");
            Channel<String> work = Channel.buffered(1);
            for (int i = 0; i < 1500; i++) {
                if (i % 3 == 0) {
                    Tasks.spawn(() -> work.send("job"));
                    assertInstanceOf(Received.class, Select.of(Select.receive(quit), Select.send(out, "x"),
                            Select.receive(work)));
                } else if (i % 3 == 1) {
                    Task<Selected> select = Tasks.spawn(() -> Select.of(Select.receive(quit), Select.send(out, "x")));
                    Async.sleep(Duration.ZERO);
                    select.cancel();
                    assertThrows(CancellationException.class, select::await);
                } else {
                    assertEquals(new TimedOut(), Select.of(Select.receive(quit), Select.send(out, "x"),
                            Select.timeout(Duration.ofMillis(1))));
                }
            }
            assertEquals("Channel 'quit' [unbuffered]", quit.toString());
            assertEquals("Channel 'out' [unbuffered]", out.toString());
            return null;
        });
    }

    @Test
    void aSendCaseWaitsForAReceiverAndTheItemGoesOnlyThere() {
        run(() -> {
            Channel<String> out = Channel.unbuffered();
            Channel<String> other = Channel.unbuffered();
            Task<Selected> select = Tasks.spawn(() -> Select.of(Select.send(out, "item"), Select.send(other, "no")));
            Async.sleep(Duration.ZERO);
            assertEquals("item", out.receive());
            assertEquals(new Sent<>(out), select.await());
            assertEquals(new TryReceive.Empty<>(), other.tryReceive(), "the other send was withdrawn");
            return null;
        });
    }

    @Test
    void aSelectCannotMatchItsOwnSendWithItsOwnReceive() {
        VirtualClock.install(loop);
        run(() -> {
            Channel<String> channel = Channel.unbuffered();
            assertEquals(new TimedOut(), Select.of(Select.send(channel, "me"), Select.receive(channel),
                    Select.timeout(Duration.ofSeconds(1))));
            return null;
        });
    }

    @Test
    void completionCasesGiveTheOutcomeOfAFutureOfAnyLoopOrOfAStage() throws Exception {
        run(() -> {
            Channel<String> idle = Channel.unbuffered();
            Future<Integer> future = loop.createFuture();
            Task<Selected> select = Tasks.spawn(() -> Select.of(Select.receive(idle), Select.completion(future)));
            Async.sleep(Duration.ZERO);
            future.setResult(42);
            assertEquals(new Completed<>(future, new Outcome.Success<>(42)), select.await());
            assertEquals(new Completed<>(future, new Outcome.Success<>(42)),
                    Select.of(Select.receive(idle), Select.completion(future)), "a done future is ready at once");

            CompletableFuture<String> stage = new CompletableFuture<>();
            ForeignThread<Void> completer = onForeignThread(() -> {
                stage.completeExceptionally(new IllegalStateException("boom"));
                return null;
            });
            Selected failed = Select.of(Select.receive(idle), Select.completion(stage));
            within(completer.result());
            Completed<?> completed = assertInstanceOf(Completed.class, failed);
            assertSame(stage, completed.source());
            assertEquals("boom", assertInstanceOf(Outcome.Failure.class, completed.outcome()).error().getMessage());
            return null;
        });
    }

    // ---- timeouts, on virtual time

    @Test
    void aSelectThatTimesOutHasTakenNothing() {
        VirtualClock clock = VirtualClock.install(loop);
        run(() -> {
            Channel<String> a = Channel.unbuffered();
            Channel<String> b = Channel.buffered(1);
            long start = loop.time();
            assertEquals(new TimedOut(), Select.of(Select.receive(a), Select.receive(b),
                    Select.timeout(Duration.ofSeconds(30)), Select.timeout(Duration.ofMillis(500))));
            assertEquals(Duration.ofMillis(500).toNanos(), loop.time() - start, "the shortest timeout counts");
            assertFalse(a.trySend("late"), "no receiver left waiting on a");
            b.send("kept");
            assertEquals("kept", b.receive());
            return null;
        });
        assertEquals(Duration.ofMillis(500), clock.elapsed());
    }

    /** "Forever" as a timeout is no error, in a task (on the loop's clock) or on a thread (on the system's). */
    @Test
    void aTimeoutTooLongToExpireIsNoTimeout() throws Exception {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        Channel<String> channel = Channel.unbuffered();
        run(() -> {
            Tasks.spawn(() -> channel.send("in a task"));
            assertEquals(new Received<>(channel, "in a task"), Select.of(Select.receive(channel),
                    Select.timeout(forever)));
            return null;
        });
        ForeignThread<Selected> thread = onForeignThread(() -> Select.of(Select.receive(channel),
                Select.timeout(forever)));
        thread.awaitParked();
        Thread.ofPlatform().start(() -> channel.send("on a thread")).join();
        assertEquals(new Received<>(channel, "on a thread"), within(thread.result()));
    }

    @Test
    void aReadyCaseIsChosenOverAnExpiredTimeout() {
        run(() -> {
            Channel<String> channel = Channel.buffered(1);
            channel.send("ready");
            assertEquals(new Received<>(channel, "ready"),
                    Select.of(Select.timeout(Duration.ZERO), Select.receive(channel)));
            return null;
        });
    }

    // ---- fairness

    /** Four channels always ready: over 4000 selects each must be chosen 15–35% of the time (expected: 25%). */
    @Test
    void everyReadyCaseIsChosenWithEqualChance() {
        Map<Channel<Integer>, Integer> chosen = run(() -> {
            List<Channel<Integer>> channels = new ArrayList<>();
            List<Select.Case> cases = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Channel<Integer> channel = Channel.unlimited();
                for (int i = 0; i < 4000; i++) {
                    channel.send(i);
                }
                channels.add(channel);
                cases.add(Select.receive(channel));
            }
            Map<Channel<Integer>, Integer> counts = new HashMap<>();
            for (int i = 0; i < 4000; i++) {
                if (Select.of(cases) instanceof Received<?> r) {
                    counts.merge(channels.get(channels.indexOf(r.channel())), 1, Integer::sum);
                }
            }
            return counts;
        });
        assertEquals(4, chosen.size(), "every channel was chosen: " + chosen.values());
        for (int count : chosen.values()) {
            assertTrue(count >= 600 && count <= 1400, "chosen " + count + " of 4000 times: " + chosen.values());
        }
    }

    // ---- cancellation

    @Test
    void aCancelledSelectTakesNothingFromAnyChannel() {
        run(() -> {
            Channel<String> a = Channel.unbuffered();
            Channel<String> b = Channel.unbuffered();
            Channel<String> out = Channel.unbuffered();
            Task<Selected> select = Tasks.spawn(() -> Select.of(Select.receive(a), Select.receive(b),
                    Select.send(out, "never")));
            Async.sleep(Duration.ZERO);
            select.cancel();
            assertThrows(CancellationException.class, select::await);
            assertFalse(a.trySend("x"));
            assertFalse(b.trySend("y"));
            assertEquals(new TryReceive.Empty<>(), out.tryReceive());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aSelectCancelledAfterACaseCompletedReturnsThatCase() {
        run(() -> {
            Channel<String> a = Channel.unbuffered();
            Channel<String> b = Channel.unbuffered();
            Task<Selected> select = Tasks.spawn(() -> Select.of(Select.receive(a), Select.receive(b)));
            Async.sleep(Duration.ZERO);
            assertTrue(b.trySend("handed"));
            select.cancel();
            assertEquals(new Received<>(b, "handed"), select.await());
            assertFalse(a.trySend("x"), "withdrawn from a");
            return null;
        });
    }

    @Test
    void anInterruptedThreadsSelectTakesNothing() throws Exception {
        Channel<String> a = Channel.unbuffered();
        ForeignThread<Selected> thread = onForeignThread(() -> Select.of(Select.receive(a),
                Select.timeout(NEVER)));
        thread.awaitParked();
        thread.thread().interrupt();
        assertThrows(CancellationException.class, () -> within(thread.result()));
        assertFalse(a.trySend("x"));
    }

    @Test
    void aThreadsSelectTimesOutOnTheSystemClockHavingTakenNothing() throws Exception {
        Channel<String> a = Channel.unbuffered();
        ForeignThread<Selected> thread = onForeignThread(() -> Select.of(Select.receive(a),
                Select.timeout(Duration.ofMillis(20))));
        assertEquals(new TimedOut(), within(thread.result()));
        assertFalse(a.trySend("x"), "no receiver left waiting");
    }

    // ---- across loops and threads

    /**
     * Selecting consumers on two loops and a plain thread race for items sent on three channels by producers on both
     * loops: every item is received exactly once, and the ends of the channels are seen by every consumer.
     */
    @Test
    void selectsOnTwoLoopsAndAThreadTakeEveryItemExactlyOnce() throws Exception {
        int perChannel = 3_000;
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            List<Channel<Integer>> channels = List.of(Channel.unbuffered(), Channel.buffered(2), Channel.unbuffered());
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger received = new AtomicInteger();
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int c = 0; c < channels.size(); c++) {
                Channel<Integer> channel = channels.get(c);
                int from = c * perChannel;
                producers.add(group.loops().get(c % 2).submit(() -> {
                    for (int i = from; i < from + perChannel; i++) {
                        channel.send(i);
                    }
                    channel.close();
                }));
            }
            List<CompletableFuture<Void>> consumers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                consumers.add(group.loops().get(r % 2).submit(() -> consume(channels, seen, received)));
            }
            ForeignThread<Void> thread = onForeignThread(() -> {
                consume(channels, seen, received);
                return null;
            });
            for (CompletableFuture<Void> future : producers) {
                within(future);
            }
            for (CompletableFuture<Void> future : consumers) {
                within(future);
            }
            within(thread.result());
            assertEquals(3 * perChannel, received.get());
            assertEquals(IntStream.range(0, 3 * perChannel).boxed().collect(Collectors.toSet()), seen);
            assertNoTaskLeft(group);
        }
    }

    /**
     * A select locks its channels one by one. If it parked on a lock another thread holds while it held the lock of
     * another channel, its loop would run its callbacks meanwhile, and a callback that touches that other channel
     * would block the loop thread on a lock held by a task only that thread can resume: the loop would hang. A foreign
     * thread keeps one channel's lock busy while a task selects over both and a callback of the same loop, again and
     * again, touches the other.
     */
    @Test
    void aSelectNeverWaitsForALockWhileHoldingAnother() throws Exception {
        Channel<Integer> near = Channel.buffered(1); // made first, so locked first
        Channel<Integer> busy = Channel.buffered(1);
        AtomicBoolean stop = new AtomicBoolean();
        ForeignThread<Void> hammer = onForeignThread(() -> {
            while (!stop.get()) {
                busy.trySend(1);
                busy.tryReceive();
            }
            return null;
        });
        try {
            int selects = run(() -> {
                AtomicInteger touches = new AtomicInteger();
                Runnable touch = new Runnable() {
                    @Override
                    public void run() {
                        near.trySend(touches.incrementAndGet());
                        near.tryReceive();
                        if (!stop.get()) {
                            loop.callSoon(this);
                        }
                    }
                };
                loop.callSoon(touch);
                int done = 0;
                for (; done < 20_000; done++) {
                    Select.of(Select.receive(near), Select.receive(busy), Select.defaultCase());
                    Async.sleep(Duration.ZERO);
                }
                stop.set(true);
                Async.sleep(Duration.ZERO);
                assertTrue(touches.get() > 0, "the callback ran");
                return done;
            });
            assertEquals(20_000, selects);
        } finally {
            stop.set(true);
        }
        within(hammer.result());
    }

    /**
     * Two selects over the same two channels, each naming them in the opposite order and one naming a channel twice,
     * one a task and one a plain thread: each select is matched by the other's, so they go on in step, never deadlock,
     * and every item one sent the other received.
     */
    @Test
    void selectsNamingTheSameChannelsInOppositeOrdersGoOnInStep() throws Exception {
        int rounds = 5_000;
        Channel<Integer> a = Channel.unbuffered();
        Channel<Integer> b = Channel.unbuffered();
        ForeignThread<List<Integer>> thread = onForeignThread(() -> exchange(b, a, rounds, true));
        List<Integer> onTask = run(() -> exchange(a, b, rounds, false));
        List<Integer> onThread = within(thread.result());
        assertEquals(rounds, onTask.size() + onThread.size(), "one item moved per round");
        assertEquals(IntStream.range(0, rounds).boxed().collect(Collectors.toSet()),
                Stream.concat(onTask.stream(), onThread.stream()).map(v -> v % rounds).collect(Collectors.toSet()));
    }

    /**
     * Offer round i on {@code out} while listening on {@code in} (twice, if asked); returns the items received. A
     * side's own items are numbered 0.., the other's rounds.., so each round's item is told apart by its value.
     */
    private static List<Integer> exchange(Channel<Integer> out, Channel<Integer> in, int rounds, boolean twice) {
        List<Integer> received = new ArrayList<>();
        int offset = twice ? rounds : 0;
        for (int i = 0; i < rounds; i++) {
            List<Select.Case> cases = new ArrayList<>(List.of(Select.send(out, offset + i), Select.receive(in)));
            if (twice) {
                cases.add(Select.receive(in));
            }
            if (Select.of(cases) instanceof Received<?>(var channel, Integer value)) {
                assertEquals(i, value % rounds, "in step: the other side's item of the same round");
                received.add(value);
            }
        }
        return received;
    }

    /** Select over the channels until each is closed and drained. */
    private static void consume(List<Channel<Integer>> channels, Set<Integer> seen, AtomicInteger received) {
        List<Channel<Integer>> open = new ArrayList<>(channels);
        while (!open.isEmpty()) {
            switch (Select.of(open.stream().map(Select::receive).toList())) {
                case Received<?>(var channel, Integer value) -> {
                    assertTrue(seen.add(value), value + " received twice");
                    received.incrementAndGet();
                }
                case Closed(var channel) -> open.remove(channel);
                default -> throw new AssertionError("only receive cases were given");
            }
        }
    }

    /**
     * Everything racing at once, across two loops and two plain threads: selects that send with a timeout as short as
     * can be, selects that receive with one, on an unbuffered, a buffered and a conflated channel, and a close of all
     * three while senders wait. A send a select or a plain send reported done was received exactly once (on the
     * conflated channel: at most once, since it drops); a send that timed out or found the channel closed was not
     * received at all.
     */
    @Test
    void sendsReceivesTimeoutsAndACloseRacingAcrossLoopsLoseAndDuplicateNothing() throws Exception {
        int perSender = 3_000;
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            List<Channel<Integer>> channels = List.of(Channel.unbuffered(), Channel.buffered(2), Channel.conflated());
            Set<Integer> sent = ConcurrentHashMap.newKeySet();
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger received = new AtomicInteger();
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            List<CompletableFuture<Void>> receivers = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                int sender = s;
                Callable<Void> body = () -> {
                    sendRacing(channels, sender, perSender, sent);
                    return null;
                };
                senders.add(s < 2 ? group.loops().get(s).submit(body::call) : onForeignThread(body).result());
            }
            for (int r = 0; r < 3; r++) {
                Callable<Void> body = () -> {
                    receiveRacing(channels, seen, received);
                    return null;
                };
                receivers.add(r < 2 ? group.loops().get(r).submit(body::call) : onForeignThread(body).result());
            }
            for (CompletableFuture<Void> sender : senders) {
                within(sender);
            }
            for (CompletableFuture<Void> receiver : receivers) {
                within(receiver);
            }
            assertEquals(received.get(), seen.size(), "no item received twice");
            assertTrue(sent.containsAll(seen), "only items reported sent were received");
            Set<Integer> lost = sent.stream().filter(v -> v / 1_000_000 < 2 && !seen.contains(v))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(), lost, "items reported sent on the unbuffered and buffered channels, never received");
            assertNoTaskLeft(group);
        }
    }

    /** Send to random channels by select with a timeout of a nanosecond, or plainly; the first sender closes them. */
    private static void sendRacing(List<Channel<Integer>> channels, int sender, int count, Set<Integer> sent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        try {
            for (int i = 0; i < count; i++) {
                int c = random.nextInt(channels.size());
                int value = c * 1_000_000 + sender * 100_000 + i;
                Channel<Integer> channel = channels.get(c);
                if (random.nextBoolean()) {
                    channel.send(value);
                    sent.add(value);
                } else if (Select.of(Select.send(channel, value), Select.timeout(Duration.ofNanos(1)))
                        instanceof Sent<?>) {
                    sent.add(value);
                }
                if (sender == 0 && i == count / 2) {
                    channels.forEach(Channel::close);
                }
            }
        } catch (SendOnClosedChannelException closed) {
            // the item was not sent; nothing more can be
        }
    }

    /** Receive by select, with a timeout of a nanosecond now and then, until every channel is closed and drained. */
    private static void receiveRacing(List<Channel<Integer>> channels, Set<Integer> seen, AtomicInteger received) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Channel<Integer>> open = new ArrayList<>(channels);
        while (!open.isEmpty()) {
            List<Select.Case> cases = new ArrayList<>(open.stream().map(Select::receive).toList());
            if (random.nextBoolean()) {
                cases.add(Select.timeout(Duration.ofNanos(1)));
            }
            switch (Select.of(cases)) {
                case Received<?>(var channel, Integer value) -> {
                    assertTrue(seen.add(value), value + " received twice");
                    received.incrementAndGet();
                }
                case Closed(var channel) -> open.remove(channel);
                case TimedOut timedOut -> {
                }
                default -> throw new AssertionError("only receive cases and a timeout were given");
            }
        }
    }

    /** A task of one loop selects on a send whose receiver is a task of another loop, with a timeout racing it. */
    @Test
    void aSendCaseAcrossLoopsRacesATimeoutAndExactlyOneWins() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            Channel<Integer> channel = Channel.unbuffered();
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<Void> sender = group.loops().get(0).submit(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (Select.of(Select.send(channel, i), Select.timeout(Duration.ofNanos(1))) instanceof Sent<?>) {
                        sent.incrementAndGet();
                    }
                }
                channel.close();
            });
            CompletableFuture<Integer> receiver = group.loops().get(1).submit(() -> {
                int count = 0;
                for (int ignored : channel) {
                    count++;
                }
                return count;
            });
            within(sender);
            assertEquals(sent.get(), within(receiver), "every send the select reported was received, no other");
            assertNoTaskLeft(group);
        }
    }

    /** The future is completed by its loop while, most runs, the select already waits; either way it is chosen. */
    @Test
    void aFutureOfAnotherLoopWakesASelectOnThisOne() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            EventLoop other = group.loops().get(1);
            Future<String> future = within(other.submit(() -> {
                return other.<String>createFuture();
            }));
            Channel<String> selecting = Channel.unbuffered();
            CompletableFuture<Selected> select = group.loops().get(0).submit(() -> {
                selecting.send("about to select");
                return Select.of(Select.completion(future), Select.timeout(NEVER));
            });
            within(other.submit(() -> {
                selecting.receive();
                future.setResult("done");
            }));
            assertEquals(new Completed<>(future, new Outcome.Success<>("done")), within(select));
            assertNoTaskLeft(group);
        }
    }
}
