package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.Condition;
import dev.weft.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Condition}: await releases the lock and takes it back however it returns; signals wake waiters first come
 * first served; a waiter cancelled after its signal passes it on.
 */
public abstract class ConditionSuite extends LoopSuite {

    /** A task that waits on the condition, holding its lock around the wait, and records the steps. */
    private static Task<Void> waiter(Condition cond, Steps steps, int before, int after) {
        return Tasks.spawn(() -> cond.lock().withLock(() -> {
            steps.expect(before);
            cond.await();
            assertTrue(cond.lock().isHeldByCurrentTask(), "await returned without the lock");
            steps.expect(after);
            return null;
        }));
    }

    @Test
    void awaitAndSignalsWithoutTheLockThrowIllegalMonitorState() {
        run(() -> {
            Condition cond = new Condition();
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("await", cond::await);
            calls.put("awaitUntil", () -> cond.awaitUntil(() -> true));
            calls.put("signal", cond::signal);
            calls.put("signal(2)", () -> cond.signal(2));
            calls.put("signalAll", cond::signalAll);
            calls.forEach((name, call) -> {
                var e = assertThrows(IllegalMonitorStateException.class, call, name);
                assertTrue(e.getMessage().contains("lock"), e.getMessage());
            });
            // Held by another task is no better.
            Task<Void> holder = Tasks.spawn(() -> {
                cond.lock().acquire();
                return null;
            });
            holder.await();
            assertTrue(cond.lock().isLocked());
            calls.forEach((name, call) -> assertThrows(IllegalMonitorStateException.class, call, name));
            return null;
        });
    }

    @Test
    void signalWakesOneWaiterAtATimeFirstComeFirstServed() {
        Steps steps = new Steps();
        run(() -> {
            Condition cond = new Condition();
            List<Task<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(waiter(cond, steps, 1 + i, 5 + i));
            }
            Async.sleep(Duration.ZERO);
            assertFalse(cond.lock().isLocked(), "await released the lock");
            steps.expect(4);
            assertEquals(1, cond.lock().withLock(() -> cond.signal(1)));
            waiters.getFirst().await();
            assertEquals(2, cond.lock().withLock(() -> cond.signal(5)));
            waiters.get(1).await();
            waiters.get(2).await();
            assertEquals(0, cond.lock().withLock(() -> cond.signal(1)));
            return null;
        });
        steps.finish(8);
    }

    /** signalAll wakes every waiter; they take the lock back one at a time, in the order they waited. */
    @Test
    void signalAllWakesEveryWaiterAndEachRetakesTheLockInTurn() {
        Steps steps = new Steps();
        run(() -> {
            Condition cond = new Condition();
            List<Task<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                waiters.add(Tasks.spawn(() -> cond.lock().withLock(() -> {
                    steps.expect(1 + n);
                    cond.await();
                    steps.expect(5 + 2 * n);
                    Async.sleep(Duration.ZERO); // still holding: the next waiter must wait for the lock
                    steps.expect(6 + 2 * n);
                    return null;
                })));
            }
            Async.sleep(Duration.ZERO);
            cond.lock().withLock(() -> {
                steps.expect(4);
                return cond.signalAll();
            });
            for (Task<Void> each : waiters) {
                each.await();
            }
            return null;
        });
        steps.finish(11);
    }

    @Test
    void awaitUntilWaitsForThePredicateThroughSignals() {
        List<String> taken = run(() -> {
            Condition cond = new Condition();
            ArrayDeque<String> items = new ArrayDeque<>();
            Task<List<String>> consumer = Tasks.spawn(() -> cond.lock().withLock(() -> {
                cond.awaitUntil(() -> items.size() >= 2);
                List<String> got = List.copyOf(items);
                items.clear();
                return got;
            }));
            for (String item : List.of("a", "b")) {
                Async.sleep(Duration.ZERO);
                cond.lock().withLock(() -> {
                    items.add(item);
                    return cond.signalAll(); // the first signal finds the predicate false: the consumer waits again
                });
            }
            return consumer.await();
        });
        assertEquals(List.of("a", "b"), taken);
    }

    /** A predicate that holds already returns without waiting or releasing the lock. */
    @Test
    void awaitUntilATruePredicateReturnsAtOnce() {
        run(() -> {
            Lock shared = new Lock();
            Condition cond = new Condition(shared);
            assertTrue(cond.lock() == shared);
            shared.withLock(() -> {
                cond.awaitUntil(() -> true);
                assertTrue(shared.isHeldByCurrentTask());
                return null;
            });
            return null;
        });
    }

    // ---- cancellation

    /** Regression: a waiter cancelled while waiting takes the lock back before its CancellationException arrives. */
    @Test
    void aWaiterCancelledWhileWaitingHoldsTheLockAgainWhenTheCancellationArrives() {
        Steps steps = new Steps();
        run(() -> {
            Condition cond = new Condition();
            Task<Void> waiter = Tasks.spawn(() -> {
                cond.lock().acquire();
                steps.expect(1);
                try {
                    cond.await();
                } catch (CancellationException e) {
                    steps.expect(3);
                    assertTrue(cond.lock().isHeldByCurrentTask(), "cancelled out of await without the lock");
                    cond.lock().release();
                    throw e;
                }
                return null;
            });
            Async.sleep(Duration.ZERO);
            cond.lock().acquire(); // the waiter, once cancelled, must wait for this before its exception
            waiter.cancel();
            Async.sleep(Duration.ZERO);
            steps.expect(2);
            cond.lock().release();
            assertThrows(CancellationException.class, waiter::await);
            assertFalse(cond.lock().isLocked());
            return null;
        });
        steps.finish(4);
    }

    /** Regression: a waiter cancelled after it was signalled, before it ran, passes the signal to the next waiter. */
    @Test
    void aWaiterCancelledAfterItsSignalPassesTheSignalOn() {
        Steps steps = new Steps();
        run(() -> {
            Condition cond = new Condition();
            Task<Void> first = waiter(cond, steps, 1, 99);
            Task<Void> second = waiter(cond, steps, 2, 3);
            Async.sleep(Duration.ZERO);
            cond.lock().withLock(() -> {
                cond.signal(); // to first
                first.cancel();
                return null;
            });
            assertThrows(CancellationException.class, first::await);
            second.await(); // woken by the signal first passed on; otherwise this waits forever
            assertFalse(cond.lock().isLocked());
            return null;
        });
        steps.finish(4);
    }

    /** Regression: a waiter cancelled while it takes the lock back after its signal still ends holding it. */
    @Test
    void aWaiterCancelledWhileRetakingTheLockStillEndsHoldingIt() {
        Steps steps = new Steps();
        run(() -> {
            Condition cond = new Condition();
            Task<Void> waiter = Tasks.spawn(() -> {
                cond.lock().acquire();
                steps.expect(1);
                try {
                    cond.await();
                } catch (CancellationException e) {
                    steps.expect(3);
                    assertTrue(cond.lock().isHeldByCurrentTask());
                    cond.lock().release();
                    throw e;
                }
                return null;
            });
            Async.sleep(Duration.ZERO);
            cond.lock().acquire();
            cond.signal();
            Async.sleep(Duration.ZERO); // the waiter wakes and now waits for the lock
            waiter.cancel();
            Async.sleep(Duration.ZERO);
            steps.expect(2);
            cond.lock().release();
            assertThrows(CancellationException.class, waiter::await);
            assertFalse(cond.lock().isLocked());
            return null;
        });
        steps.finish(4);
    }
}
