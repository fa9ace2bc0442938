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
            assertTrue(timedOut.getMessage().startsWith("Timeout.after(PT0.1S) expired while awaiting in "),
                    timedOut.getMessage());
            return null;
        });
        assertTrue(!log.isEmpty() && log.stream().allMatch(line -> line.endsWith("failed: CancellationException")),
                "the worker swallowed the cancellation: " + log);
        assertEquals(ofMillis(100), clock.elapsed(), "ended when the timeout expired, not a second later or never");
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
                    + "LevelCancellationSuite.lambda$"), text);
            assertEquals(1, logs.records(r -> r.getLevel() == Level.WARNING).size(), "warned once");
        } finally {
            if (saved == null) {
                System.clearProperty("weft.cancel.grace");
            } else {
                System.setProperty("weft.cancel.grace", saved);
            }
        }
    }
}
