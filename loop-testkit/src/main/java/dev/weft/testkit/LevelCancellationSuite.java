package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.TaskGroup;
import dev.weft.scope.Timeout;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.Event;
import dev.weft.sync.Lock;
import dev.weft.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancellation is level-triggered (docs/design.md, "The cancellation rule"): once a task is cancelled, every later
 * await throws again until the task ends, the request is taken back, or the wait is shielded. So the most common Java
 * loop body, a worker that catches {@code Exception}, logs and goes on, cannot turn a timeout into a hang.
 */
public abstract class LevelCancellationSuite extends LoopSuite {

    /** The pipeline's case: the worker swallows the cancellation once; its next wait ends it, within the timeout. */
    @Test
    void aWorkerThatCatchesExceptionInsideAGroupUnderATimeoutEndsWithinTheTimeout() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> log = new CopyOnWriteArrayList<>();
        run(() -> {
            AsyncQueue<Integer> jobs = AsyncQueue.fifo(1);
            DeadlineExceededException timedOut = assertThrows(DeadlineExceededException.class,
                    () -> Timeout.after(ofMillis(100), () -> {
                        try (TaskGroup group = TaskGroup.open()) {
                            group.spawn("producer", () -> {
                                for (int i = 0; ; i++) {
                                    jobs.put(i);
                                }
                            });
                            group.spawn("worker", () -> {
                                while (true) {
                                    int job = jobs.get();
                                    try {
                                        Async.sleep(ofSeconds(1)); // the work: longer than the timeout
                                    } catch (Exception e) {
                                        log.add("job " + job + " failed: " + e.getClass().getSimpleName());
                                    }
                                }
                            });
                        }
                    }));
            String message = timedOut.getMessage();
            assertTrue(message.startsWith("Timeout.after(PT0.1S) expired while awaiting in TaskGroup.close("
                    + "TaskGroup.java:"), message);
            assertTrue(message.contains(", called from LevelCancellationSuite.lambda$"), message);
            return null;
        });
        assertTrue(!log.isEmpty() && log.stream().allMatch(line -> line.endsWith("failed: CancellationException")),
                "the worker swallowed the cancellation: " + log);
        assertEquals(ofMillis(100), clock.elapsed(), "ended when the timeout expired, not a second later or never");
    }

    /** The other worker shape: the try around the wait too. Its loop condition is what ends it. */
    @Test
    void aWorkerThatCatchesAroundItsWaitEndsByTestingIsCancelled() {
        VirtualClock clock = VirtualClock.install(loop);
        AtomicInteger swallowed = new AtomicInteger();
        run(() -> {
            AsyncQueue<Integer> jobs = AsyncQueue.fifo(1);
            assertThrows(DeadlineExceededException.class, () -> Timeout.after(ofMillis(100), () -> {
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn(() -> {
                        while (!Tasks.isCancelled()) {
                            try {
                                jobs.get();
                                Async.sleep(ofSeconds(1));
                            } catch (Exception e) {
                                swallowed.incrementAndGet();
                            }
                        }
                    });
                }
            }));
            return null;
        });
        assertEquals(1, swallowed.get());
        assertEquals(ofMillis(100), clock.elapsed());
    }

    /**
     * A worker that catches around every wait and never tests for its cancellation cannot be stopped by any library:
     * it is slowed down and named, with where it is stuck, once the grace period is over.
     */
    @Test
    void aWorkerThatSwallowsEveryCancellationIsNamedWithWhereItWaits() throws Exception {
        String saved = System.setProperty("weft.cancel.grace", "0.05");
        try (LogCapture logs = LogCapture.of("dev.weft.scope")) {
            var warned = logs.first(r -> r.getLevel() == Level.WARNING);
            int deliveries = run(() -> {
                AsyncQueue<Integer> jobs = AsyncQueue.fifo(1);
                AtomicInteger swallowed = new AtomicInteger();
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn("swallower", () -> {
                        while (!warned.isDone()) { // the test's way out; the bug is that nothing else ends it
                            try {
                                jobs.get();
                            } catch (Exception e) {
                                swallowed.incrementAndGet();
                            }
                        }
                    });
                    Async.sleep(Duration.ZERO);
                    group.cancel();
                }
                return swallowed.get();
            });
            String text = LogCapture.text(warned.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(text.contains("cancelled task 'swallower' 0.05 s ago and it has not ended; it is awaiting in "
                    + "AsyncQueue.get(AsyncQueue.java:"), text);
            assertTrue(text.contains(", called from LevelCancellationSuite.lambda$"), text);
            assertTrue(deliveries > 100 && deliveries < 10_000, "redeliveries are slowed after the first hundred, "
                    + "not spun through: " + deliveries);
        } finally {
            restore("weft.cancel.grace", saved);
        }
    }

    /** A call that need not wait is a cancellation point all the same: the worker's next call throws, ready or not. */
    @Test
    void callsThatNeedNotWaitThrowTooOnceCancelled() {
        List<String> seen = run(() -> {
            Lock free = new Lock();
            Event set = new Event();
            set.set();
            AsyncQueue<String> full = AsyncQueue.fifo(0);
            full.putNow("x");
            Semaphore open = new Semaphore(1);
            List<String> outcomes = new ArrayList<>();
            Task.currentOrNull().cancel("stop");
            List<Runnable> calls = List.of(free::acquire, set::await, full::get, open::acquire, () -> full.put("y"));
            for (Runnable call : calls) {
                try {
                    call.run();
                    outcomes.add("returned");
                } catch (CancellationException e) {
                    outcomes.add(e.getMessage());
                }
            }
            Task.currentOrNull().uncancel();
            return outcomes;
        });
        assertEquals(List.of("stop", "stop", "stop", "stop", "stop"), seen);
    }

    /** A Timeout inside a shield still ends its own body: a shield holds back the cancellations of the scopes outside. */
    @Test
    void aTimeoutInsideAShieldStillFiresWhileACancellationFromOutsideWaits() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> {
            Task<String> task = Tasks.spawn(() -> Tasks.shielded(() -> {
                String inner = Timeout.orNull(ofMillis(50), () -> {
                    Async.sleep(ofSeconds(2));
                    return "slept";
                });
                steps.expect(2);
                Async.sleep(ofSeconds(1)); // the cancellation from outside came meanwhile: still held back
                steps.expect(3);
                return String.valueOf(inner);
            }));
            Async.sleep(ofMillis(10));
            steps.expect(1);
            task.cancel();
            assertEquals("null", task.await(), "the shielded body ran to its end; its Timeout gave null");
            steps.expect(4);
            return null;
        });
        steps.finish(5);
        assertEquals(ofMillis(1050), clock.elapsed());
    }

    @Test
    void everyAwaitAfterACancellationThrowsAgainUntilItIsTakenBack() {
        List<String> seen = run(() -> {
            List<String> outcomes = new ArrayList<>();
            Task<?> self = Task.currentOrNull();
            self.cancel("stop");
            for (int i = 0; i < 3; i++) {
                try {
                    Async.sleep(Duration.ZERO);
                    outcomes.add("slept");
                } catch (CancellationException e) {
                    outcomes.add(e.getMessage());
                }
            }
            assertEquals(0, self.uncancel());
            Async.sleep(Duration.ZERO);
            outcomes.add("slept after uncancel");
            return outcomes;
        });
        assertEquals(List.of("stop", "stop", "stop", "slept after uncancel"), seen);
    }

    @Test
    void waitsOnSyncPrimitivesQueuesAndFuturesThrowAgainToo() {
        List<String> seen = run(() -> {
            Lock lock = new Lock();
            lock.acquire(); // held by main: the task's acquire must wait
            Event event = new Event();
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Future<String> never = loop.createFuture();
            List<String> outcomes = new CopyOnWriteArrayList<>();
            Task<Void> task = Tasks.spawn(() -> {
                try {
                    event.await();
                } catch (CancellationException swallowed) {
                    outcomes.add("event");
                }
                List<Runnable> waits = List.of(lock::acquire, event::await, queue::get, never::await,
                        () -> Async.sleep(NEVER));
                for (Runnable wait : waits) {
                    try {
                        wait.run();
                        outcomes.add("returned");
                    } catch (CancellationException again) {
                        outcomes.add("again");
                    }
                }
            });
            Async.sleep(Duration.ZERO);
            task.cancel();
            task.await(); // ends normally: it swallowed every one
            return outcomes;
        });
        assertEquals(List.of("event", "again", "again", "again", "again", "again"), seen);
    }

    @Test
    void aShieldedWaitFinishesAndTheCancellationComesAtTheNextAwaitAfterIt() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> {
            Task<String> task = Tasks.spawn(() -> {
                try {
                    Async.sleep(NEVER);
                    return "not cancelled";
                } catch (CancellationException e) {
                    steps.expect(2);
                    Tasks.shielded(() -> Async.sleep(ofSeconds(1))); // clean-up that awaits
                    steps.expect(3);
                    Async.sleep(Duration.ZERO); // the cancellation stands: thrown here
                    return "not thrown again";
                }
            });
            Async.sleep(Duration.ZERO);
            steps.expect(1);
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            steps.expect(4);
            return null;
        });
        steps.finish(5);
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    @Test
    void aCancellationThatArrivesDuringAShieldIsDeliveredAfterIt() {
        VirtualClock clock = VirtualClock.install(loop);
        run(() -> {
            Task<String> task = Tasks.spawn(() -> {
                String inside = Tasks.shielded(() -> {
                    Async.sleep(ofSeconds(1));
                    return "finished the shielded step";
                });
                Tasks.checkCancelled();
                return inside + ", then went on";
            });
            Async.sleep(ofMillis(10));
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            return null;
        });
        assertEquals(ofSeconds(1), clock.elapsed(), "the shielded sleep ran to its end");
    }

    /** A task that keeps swallowing its cancellation and awaiting again does not starve the loop. */
    @Test
    void aTaskThatSwallowsEveryRedeliveryStillLetsTheLoopRun() {
        run(() -> {
            AtomicInteger deliveries = new AtomicInteger();
            AtomicInteger ticks = new AtomicInteger();
            Task<Void> stubborn = Tasks.spawn(() -> {
                while (deliveries.get() < 50) {
                    try {
                        Async.sleep(NEVER);
                    } catch (Exception e) { // the trap: catches CancellationException too
                        deliveries.incrementAndGet();
                    }
                }
            });
            Task<Void> ticker = Tasks.spawn(() -> {
                while (!stubborn.isDone()) {
                    ticks.incrementAndGet();
                    Async.sleep(Duration.ZERO);
                }
            });
            Async.sleep(Duration.ZERO);
            stubborn.cancel();
            stubborn.await();
            ticker.await();
            assertEquals(50, deliveries.get());
            assertTrue(ticks.get() >= 40, "the loop ran other tasks between redeliveries: " + ticks.get() + " ticks");
            return null;
        });
    }

    @Test
    void aChildThatIgnoresItsCancellationPastTheGracePeriodIsNamedOnceWithWhereItIsStuck() throws Exception {
        String saved = System.setProperty("weft.cancel.grace", "0.05");
        try (LogCapture logs = LogCapture.of("dev.weft.scope")) {
            run(() -> {
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn("stubborn", () -> Tasks.shielded(() -> Async.sleep(ofMillis(300))));
                    Async.sleep(Duration.ZERO);
                    group.cancel();
                }
                return null;
            });
            LogRecord warning = logs.first(r -> r.getLevel() == Level.WARNING).get(PATIENCE.toMillis(),
                    TimeUnit.MILLISECONDS);
            String text = LogCapture.text(warning);
            assertTrue(text.contains("cancelled task 'stubborn' 0.05 s ago and it has not ended; it is awaiting in "
                    + "Async.sleep(Async.java:"), text);
            assertTrue(text.contains(", called from LevelCancellationSuite.lambda$"), text);
            assertEquals(1, logs.records(r -> r.getLevel() == Level.WARNING).size(), "warned once");
        } finally {
            restore("weft.cancel.grace", saved);
        }
    }

    private static void restore(String property, String saved) {
        if (saved == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, saved);
        }
    }
}
