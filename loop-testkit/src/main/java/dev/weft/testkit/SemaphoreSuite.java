package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.BoundedSemaphore;
import dev.weft.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Semaphore} and {@link BoundedSemaphore}: permits handed out first come first served, never lost. */
public abstract class SemaphoreSuite extends LoopSuite {

    /** A task that takes a permit and keeps it, recording the steps around the wait. */
    private static Task<Void> taker(Semaphore semaphore, Steps steps, int before, int after) {
        return Tasks.spawn(() -> {
            steps.expect(before);
            semaphore.acquire();
            steps.expect(after);
            return null;
        });
    }

    @Test
    void aNegativeCountIsRefusedNamingIt() {
        var plain = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(plain.getMessage().contains("-1"), plain.getMessage());
        var bounded = assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-3));
        assertTrue(bounded.getMessage().contains("-3"), bounded.getMessage());
    }

    @Test
    void permitsAreTakenUntilNoneIsFreeAndReleaseGivesThemBack() {
        run(() -> {
            Semaphore semaphore = new Semaphore(2);
            semaphore.acquire();
            assertTrue(semaphore.tryAcquire());
            assertEquals(0, semaphore.availablePermits());
            assertFalse(semaphore.tryAcquire());
            semaphore.release();
            semaphore.release();
            semaphore.release(); // a plain semaphore may grow
            assertEquals(3, semaphore.availablePermits());
            return null;
        });
    }

    @Test
    void waitersGetPermitsInTheOrderTheyAsked() {
        Steps steps = new Steps();
        run(() -> {
            Semaphore semaphore = new Semaphore(0);
            List<Task<Void>> takers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                takers.add(taker(semaphore, steps, 1 + i, 5 + i));
            }
            Async.sleep(Duration.ZERO);
            steps.expect(4);
            for (int i = 0; i < 3; i++) {
                semaphore.release();
                assertFalse(semaphore.tryAcquire(), "a permit handed to a waiter was taken by a newcomer");
            }
            assertEquals(0, semaphore.availablePermits());
            for (Task<Void> each : takers) {
                each.await();
            }
            return null;
        });
        steps.finish(8);
    }

    /** Any task or callback may release: a semaphore has no owner. */
    @Test
    void aCallbackMayReleaseAPermitATaskWaitsFor() {
        run(() -> {
            Semaphore semaphore = new Semaphore(0);
            loop.callSoon(semaphore::release);
            semaphore.acquire();
            assertEquals(0, semaphore.availablePermits());
            return null;
        });
    }

    @Test
    void withPermitReleasesHoweverTheBodyEnds() {
        run(() -> {
            Semaphore semaphore = new Semaphore(1);
            assertEquals("in", semaphore.withPermit(() -> {
                assertEquals(0, semaphore.availablePermits());
                return "in";
            }));
            assertEquals(1, semaphore.availablePermits());
            assertThrows(IllegalStateException.class, () -> semaphore.withPermit(() -> {
                throw new IllegalStateException("body failed");
            }));
            assertEquals(1, semaphore.availablePermits());
            return null;
        });
    }

    @Test
    void aBoundedSemaphoreRefusesAReleaseAboveItsBoundNamingIt() {
        run(() -> {
            BoundedSemaphore semaphore = new BoundedSemaphore(2);
            semaphore.acquire();
            semaphore.release();
            var e = assertThrows(InvalidStateException.class, semaphore::release);
            assertTrue(e.getMessage().contains("bound of 2"), e.getMessage());
            assertEquals(2, semaphore.availablePermits());
            assertEquals(2, semaphore.bound());
            return null;
        });
    }

    /** A release that hands its permit to a waiter is within the bound. */
    @Test
    void aBoundedSemaphoreHandsReleasesToWaiters() {
        run(() -> {
            BoundedSemaphore semaphore = new BoundedSemaphore(1);
            semaphore.acquire();
            Task<Void> waiter = taker(semaphore, new Steps(), 1, 2);
            Async.sleep(Duration.ZERO);
            semaphore.release();
            waiter.await();
            assertEquals(0, semaphore.availablePermits());
            return null;
        });
    }

    // ---- cancellation: no permit lost, none counted twice

    /** Regression: a waiter cancelled while waiting leaves the queue; the permit goes to the next one. */
    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueue() {
        Steps steps = new Steps();
        run(() -> {
            Semaphore semaphore = new Semaphore(0);
            Task<Void> first = taker(semaphore, steps, 1, 99);
            Task<Void> second = taker(semaphore, steps, 2, 4);
            Async.sleep(Duration.ZERO);
            first.cancel();
            steps.expect(3);
            semaphore.release();
            assertThrows(CancellationException.class, first::await);
            second.await();
            assertEquals(0, semaphore.availablePermits());
            return null;
        });
        steps.finish(5);
    }

    /** Regression: a waiter cancelled after a permit was handed to it, before it ran, passes the permit on. */
    @Test
    void aWaiterCancelledAfterAPermitWasHandedToItPassesItOn() {
        Steps steps = new Steps();
        run(() -> {
            Semaphore semaphore = new Semaphore(0);
            Task<Void> first = taker(semaphore, steps, 1, 99);
            Task<Void> second = taker(semaphore, steps, 2, 4);
            Async.sleep(Duration.ZERO);
            semaphore.release();
            first.cancel();
            steps.expect(3);
            assertThrows(CancellationException.class, first::await);
            second.await();
            assertEquals(0, semaphore.availablePermits(), "the permit was counted twice");
            return null;
        });
        steps.finish(5);
    }

    /** Regression: with nobody to pass it to, the permit of a cancelled waiter goes back to the count. */
    @Test
    void theLastWaiterCancelledAfterAPermitWasHandedToItReturnsIt() {
        run(() -> {
            BoundedSemaphore semaphore = new BoundedSemaphore(1);
            semaphore.acquire();
            Task<Void> waiter = taker(semaphore, new Steps(), 1, 99);
            Async.sleep(Duration.ZERO);
            semaphore.release();
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            assertEquals(1, semaphore.availablePermits(), "the permit was lost");
            return null;
        });
    }
}
