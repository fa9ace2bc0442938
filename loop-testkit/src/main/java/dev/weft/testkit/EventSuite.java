package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Event}: a flag tasks wait for; set wakes every waiter, in order; a cancelled waiter just leaves. */
public abstract class EventSuite extends LoopSuite {

    private static Task<Void> waiter(Event event, Steps steps, int before, int after) {
        return Tasks.spawn(() -> {
            steps.expect(before);
            event.await();
            steps.expect(after);
            return null;
        });
    }

    @Test
    void setWakesEveryWaiterInTheOrderTheyStartedWaiting() {
        Steps steps = new Steps();
        run(() -> {
            Event event = new Event();
            List<Task<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(waiter(event, steps, 1 + i, 5 + i));
            }
            Async.sleep(Duration.ZERO);
            assertFalse(event.isSet());
            steps.expect(4);
            event.set();
            assertTrue(event.isSet());
            for (Task<Void> each : waiters) {
                each.await();
            }
            return null;
        });
        steps.finish(8);
    }

    /** Awaiting a set event does not suspend: no other task runs in between. */
    @Test
    void awaitingASetEventReturnsWithoutSuspending() {
        Steps steps = new Steps();
        run(() -> {
            Event event = new Event();
            event.set();
            Task<Void> other = Tasks.spawn(() -> {
                steps.expect(3);
                return null;
            });
            steps.expect(1);
            event.await();
            steps.expect(2);
            other.await();
            return null;
        });
        steps.finish(4);
    }

    @Test
    void clearMakesLaterAwaitsWaitForTheNextSet() {
        Steps steps = new Steps();
        run(() -> {
            Event event = new Event();
            event.set();
            event.set(); // idempotent
            event.clear();
            assertFalse(event.isSet());
            Task<Void> waiter = waiter(event, steps, 1, 3);
            Async.sleep(Duration.ZERO);
            steps.expect(2);
            event.set();
            waiter.await();
            return null;
        });
        steps.finish(4);
    }

    /** A waiter woken by set returns even if the event is cleared before it runs, as in asyncio. */
    @Test
    void aWokenWaiterReturnsEvenIfClearedBeforeItRuns() {
        run(() -> {
            Event event = new Event();
            Task<Void> waiter = waiter(event, new Steps(), 1, 2);
            Async.sleep(Duration.ZERO);
            event.set();
            event.clear();
            waiter.await();
            assertFalse(event.isSet());
            return null;
        });
    }

    /** Regression: a cancelled waiter leaves; set still wakes the others, in order. */
    @Test
    void aWaiterCancelledWhileWaitingLeavesAndTheOthersStillWake() {
        Steps steps = new Steps();
        run(() -> {
            Event event = new Event();
            Task<Void> first = waiter(event, steps, 1, 4);
            Task<Void> cancelled = waiter(event, steps, 2, 99);
            Task<Void> third = waiter(event, steps, 3, 5);
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            event.set();
            assertThrows(CancellationException.class, cancelled::await);
            first.await();
            third.await();
            return null;
        });
        steps.finish(6);
    }

    /** A waiter cancelled after set woke it, before it ran, ends cancelled: cancellation always reaches the task. */
    @Test
    void aWaiterCancelledAfterSetEndsCancelled() {
        run(() -> {
            Event event = new Event();
            Task<Void> waiter = waiter(event, new Steps(), 1, 99);
            Async.sleep(Duration.ZERO);
            event.set();
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            assertTrue(event.isSet());
            event.await();
            return null;
        });
    }
}
