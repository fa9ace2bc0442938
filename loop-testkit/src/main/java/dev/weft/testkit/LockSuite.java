package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.Lock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Lock}: mutual exclusion between tasks, first come first served, owned by its holder, and never lost or
 * doubled by a cancellation. {@code Async.sleep(Duration.ZERO)} lets the tasks that are ready run until they wait.
 */
public abstract class LockSuite extends LoopSuite {

    /** A task that takes the lock, records the steps around it, and releases it. */
    private static Task<Void> locker(Lock lock, Steps steps, int before, int after) {
        return Tasks.spawn(() -> {
            steps.expect(before);
            lock.acquire();
            steps.expect(after);
            lock.release();
            return null;
        });
    }

    @Test
    void aFreeLockIsTakenAtOnceAndFreedByRelease() {
        run(() -> {
            Lock lock = new Lock();
            assertFalse(lock.isLocked());
            lock.acquire();
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentTask());
            assertFalse(lock.tryAcquire(), "tryAcquire of a held lock");
            lock.release();
            assertFalse(lock.isLocked());
            assertTrue(lock.tryAcquire());
            assertTrue(lock.isHeldByCurrentTask());
            lock.release();
            return null;
        });
    }

    @Test
    void waitersGetTheLockInTheOrderTheyAskedAndOneAtATime() {
        Steps steps = new Steps();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(Tasks.spawn(() -> {
                    steps.expect(1 + n);
                    lock.acquire();
                    steps.expect(5 + 2 * n);
                    Async.sleep(Duration.ZERO); // holds it across a suspension: nobody else gets in
                    steps.expect(6 + 2 * n);
                    lock.release();
                    return null;
                }));
            }
            Async.sleep(Duration.ZERO);
            steps.expect(4);
            lock.release();
            for (Task<Void> task : tasks) {
                task.await();
            }
            assertFalse(lock.isLocked());
            return null;
        });
        steps.finish(11);
    }

    /** Release hands the lock to the first waiter: the releaser cannot take it back before that waiter runs. */
    @Test
    void releaseHandsTheLockToTheFirstWaiterSoNoNewcomerBargesIn() {
        Steps steps = new Steps();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> waiter = locker(lock, steps, 1, 3);
            Async.sleep(Duration.ZERO);
            lock.release();
            assertTrue(lock.isLocked(), "handed to the waiter");
            assertFalse(lock.tryAcquire(), "the releaser took the lock back from the waiter it was handed to");
            steps.expect(2);
            lock.acquire(); // queues behind
            steps.expect(4);
            lock.release();
            waiter.await();
            return null;
        });
        steps.finish(5);
    }

    @Test
    void releasingALockNobodyHoldsThrowsIllegalMonitorState() {
        run(() -> {
            Lock lock = new Lock();
            var e = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(e.getMessage().contains("not locked"), e.getMessage());
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void releasingALockAnotherTaskHoldsThrowsIllegalMonitorStateNamingTheHolder() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Throwable> other = Tasks.spawn("intruder", () -> assertThrows(IllegalMonitorStateException.class,
                    lock::release));
            String message = other.await().getMessage();
            assertTrue(message.contains("'main'") && message.contains("'intruder'"), message);
            assertTrue(lock.isHeldByCurrentTask(), "a failed release changed the holder");
            lock.release();
            return null;
        });
    }

    @Test
    void releasingFromACallbackALockATaskHoldsThrows() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            var thrown = loop.<Throwable>createFuture();
            loop.callSoon(() -> thrown.setResult(assertThrows(IllegalMonitorStateException.class, lock::release)));
            assertInstanceOf(IllegalMonitorStateException.class, thrown.await());
            assertTrue(lock.isHeldByCurrentTask());
            lock.release();
            return null;
        });
    }

    @Test
    void acquiringALockTheTaskHoldsFailsAtOnceInsteadOfDeadlocking() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            var e = assertThrows(InvalidStateException.class, lock::acquire);
            assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
            assertTrue(lock.isHeldByCurrentTask());
            lock.release();
            assertFalse(lock.isLocked());
            return null;
        });
    }

    @Test
    void withLockReturnsTheBodysValueAndReleasesHoweverTheBodyEnds() {
        run(() -> {
            Lock lock = new Lock();
            assertEquals("inside", lock.withLock(() -> {
                assertTrue(lock.isHeldByCurrentTask());
                return "inside";
            }));
            assertFalse(lock.isLocked());
            var unchecked = assertThrows(IllegalArgumentException.class, () -> lock.withLock(() -> {
                throw new IllegalArgumentException("body failed");
            }));
            assertEquals("body failed", unchecked.getMessage());
            assertFalse(lock.isLocked());
            IOException checked = new IOException("checked");
            assertSame(checked, assertThrows(IOException.class, () -> lock.withLock(() -> {
                throw checked;
            })), "the body's own checked exception, as itself");
            assertFalse(lock.isLocked());
            return null;
        });
    }

    // ---- cancellation: the lock is never held by nobody while tasks wait, nor by two

    /** Many tasks, some cancelled at every stage of their wait: never two inside, and the lock ends free. */
    @Test
    void mutualExclusionSurvivesCancellationsAtEveryStage() {
        int[] inside = {0};
        int[] entries = {0};
        run(() -> {
            Lock lock = new Lock();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 40; t++) {
                tasks.add(Tasks.spawn(() -> {
                    for (int i = 0; i < 10; i++) {
                        lock.withLock(() -> {
                            assertEquals(1, ++inside[0], "two tasks inside the lock");
                            entries[0]++;
                            try {
                                Async.sleep(Duration.ZERO);
                            } finally {
                                inside[0]--;
                            }
                            return null;
                        });
                    }
                    return null;
                }));
            }
            for (int round = 0; round < 8; round++) {
                Async.sleep(Duration.ZERO);
                tasks.get(round * 5).cancel(); // waiting, just handed the lock, or inside it, by turns
                Async.sleep(Duration.ZERO);
                lock.withLock(() -> null); // the main task gets its turn too
                tasks.get(round * 5 + 1).cancel();
            }
            int finished = 0;
            for (Task<Void> task : tasks) {
                try {
                    task.await();
                    finished++;
                } catch (CancellationException expected) {
                    // cancelled before it finished
                }
            }
            assertTrue(finished >= 40 - 16, finished + " finished");
            assertFalse(lock.isLocked(), "the lock is held by nobody's task");
            return null;
        });
        assertEquals(0, inside[0]);
        assertTrue(entries[0] >= (40 - 16) * 10, entries[0] + " entries");
    }

    /** Regression: a waiter cancelled while waiting leaves the queue; the lock goes to the next one. */
    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueue() {
        Steps steps = new Steps();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> first = locker(lock, steps, 1, 99);
            Task<Void> second = locker(lock, steps, 2, 4);
            Async.sleep(Duration.ZERO);
            first.cancel();
            steps.expect(3);
            lock.release();
            assertThrows(CancellationException.class, first::await);
            second.await();
            assertFalse(lock.isLocked());
            return null;
        });
        steps.finish(5);
    }

    /**
     * Regression: a waiter cancelled after the lock was handed to it, before it ran, passes the lock on to the next
     * waiter: the lock neither stays with a task that left nor goes to two.
     */
    @Test
    void aWaiterCancelledAfterTheLockWasHandedToItPassesItOn() {
        Steps steps = new Steps();
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> first = locker(lock, steps, 1, 99);
            Task<Void> second = locker(lock, steps, 2, 4);
            Async.sleep(Duration.ZERO);
            lock.release(); // handed to first, which has not run yet
            first.cancel();
            steps.expect(3);
            assertThrows(CancellationException.class, first::await);
            second.await();
            assertFalse(lock.isLocked());
            assertTrue(lock.tryAcquire());
            lock.release();
            return null;
        });
        steps.finish(5);
    }

    /** Regression: with nobody to pass it to, the lock handed to a cancelled waiter becomes free again. */
    @Test
    void theLastWaiterCancelledAfterTheLockWasHandedToItFreesIt() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> waiter = locker(lock, new Steps(), 1, 99);
            Async.sleep(Duration.ZERO);
            lock.release();
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            assertFalse(lock.isLocked(), "the lock stayed with a task that was cancelled");
            lock.acquire();
            lock.release();
            return null;
        });
    }

    /** Regression: a task whose cancellation is pending fails at acquire and leaves no waiter behind. */
    @Test
    void aTaskCancelledBeforeItWaitsLeavesNoWaiterBehind() {
        run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> doomed = Tasks.spawn(() -> {
                Tasks.current().orElseThrow().cancel();
                lock.acquire();
                return null;
            });
            assertThrows(CancellationException.class, doomed::await);
            lock.release();
            assertFalse(lock.isLocked(), "the lock went to a task that had been cancelled");
            return null;
        });
    }

    /** A holder cancelled inside withLock releases the lock on its way out; the next waiter gets it. */
    @Test
    void aHolderCancelledInsideWithLockReleasesItToTheNextWaiter() {
        Steps steps = new Steps();
        run(() -> {
            Lock lock = new Lock();
            Task<Void> holder = Tasks.spawn(() -> lock.withLock(() -> {
                steps.expect(1);
                Async.sleep(NEVER);
                return null;
            }));
            Async.sleep(Duration.ZERO);
            Task<Void> next = locker(lock, steps, 2, 3);
            Async.sleep(Duration.ZERO);
            holder.cancel();
            assertThrows(CancellationException.class, holder::await);
            next.await();
            assertFalse(lock.isLocked());
            return null;
        });
        steps.finish(4);
    }
}
