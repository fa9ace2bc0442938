package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.Futures;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Futures: gather, gatherSettled, firstCompleted and asCompleted. */
public abstract class FuturesSuite extends LoopSuite {
    private final IllegalStateException boom = new IllegalStateException("boom");

    /** A task that sleeps, then returns its name. */
    private static Task<String> after(int seconds, String value) {
        return Tasks.spawn(() -> {
            Async.sleep(ofSeconds(seconds));
            return value;
        });
    }

    private Task<String> failingAfter(int seconds) {
        return Tasks.spawn(() -> {
            Async.sleep(ofSeconds(seconds));
            throw boom;
        });
    }

    // ---- gather

    @Test
    void gatherReturnsTheResultsInTheOrderGivenNotTheOrderCompleted() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> results = run(() -> Futures.gather(after(3, "c"), after(1, "a"), after(2, "b")).await());
        assertEquals(List.of("c", "a", "b"), results);
        assertEquals(ofSeconds(3), clock.elapsed());
    }

    @Test
    void gatherFailsWithTheFirstFailureAndLeavesTheOthersRunning() {
        VirtualClock clock = VirtualClock.install(loop);
        run(() -> {
            Task<String> slow = after(3, "slow");
            Task<String> lateFailure = failingAfter(2);
            Future<List<String>> gathered = Futures.gather(List.of(slow, failingAfter(1), lateFailure));
            assertSame(boom, assertThrows(IllegalStateException.class, gathered::await));
            assertEquals(ofSeconds(1), clock.elapsed());
            assertEquals("slow", slow.await(), "gather does not cancel the others when one fails");
            assertTrue(lateFailure.isDone()); // its failure is taken as seen: nothing reaches the handler
            return null;
        });
    }

    @Test
    void gatherIsCancelledWhenAChildIsAndTheOthersGoOn() {
        run(() -> {
            Future<String> cancelled = loop.createFuture();
            Future<String> other = loop.createFuture();
            Future<List<String>> gathered = Futures.gather(cancelled, other);
            cancelled.cancel("child cancelled");
            assertEquals("child cancelled", assertThrows(CancellationException.class, gathered::await).getMessage());
            assertFalse(other.isCancelled());
            return null;
        });
    }

    /** Cancellation regression: cancelling the task that awaits a gather cancels what it gathers. */
    @Test
    void cancellingTheTaskAwaitingAGatherCancelsTheChildren() {
        VirtualClock.install(loop);
        run(() -> {
            List<Task<String>> children = List.of(after(5, "a"), after(5, "b"));
            Task<List<String>> waiter = Tasks.spawn(() -> Futures.gather(children).await());
            Async.sleep(ofSeconds(1));
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            for (Task<String> child : children) {
                assertThrows(CancellationException.class, child::await);
            }
            return null;
        });
    }

    @Test
    void gatherOfNothingIsAnEmptyList() {
        assertEquals(List.of(), run(() -> Futures.<String>gather().await()));
    }

    @Test
    void gatherTakesFuturesOfOneLoopOnly() {
        EventLoop other = openLoop();
        Future<String> foreign = other.createFuture();
        run(() -> {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> Futures.gather(loop.<String>createFuture(), foreign));
            assertTrue(error.getMessage().contains("one event loop"), error.getMessage());
            return null;
        });
    }

    // ---- gatherSettled

    @Test
    void gatherSettledReturnsEveryOutcomeInOrderAndNeverFails() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> described = run(() -> {
            Task<String> cancelled = after(5, "never");
            Future<List<Outcome<String>>> settled = Futures.gatherSettled(after(2, "ok"), failingAfter(1), cancelled);
            Async.sleep(ofSeconds(1));
            cancelled.cancel("enough");
            List<String> result = new ArrayList<>();
            for (Outcome<String> outcome : settled.await()) {
                result.add(switch (outcome) {
                    case Outcome.Success<String>(String value) -> "success " + value;
                    case Outcome.Failure<String>(Throwable error) -> "failure " + (error == boom);
                    case Outcome.Cancelled<String>(CancellationException cause) -> "cancelled " + cause.getMessage();
                });
            }
            return result;
        });
        assertEquals(List.of("success ok", "failure true", "cancelled enough"), described);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void cancellingGatherSettledCancelsTheChildren() {
        run(() -> {
            Future<String> a = loop.createFuture();
            Future<String> b = loop.createFuture();
            Future<List<Outcome<String>>> settled = Futures.gatherSettled(List.of(a, b));
            settled.cancel();
            Async.sleep(Duration.ZERO); // its done-callbacks run
            assertTrue(a.isCancelled() && b.isCancelled());
            return null;
        });
    }

    // ---- firstCompleted

    @Test
    void firstCompletedIsTheEarliestAndTheOthersGoOn() {
        VirtualClock clock = VirtualClock.install(loop);
        run(() -> {
            Task<String> slow = after(3, "slow");
            Task<String> fast = failingAfter(1);
            Task<String> first = Futures.firstCompleted(List.of(slow, fast)).await();
            assertSame(fast, first, "completing by failure counts");
            assertSame(boom, assertThrows(IllegalStateException.class, first::result));
            assertEquals(ofSeconds(1), clock.elapsed());
            assertEquals("slow", slow.await());
            return null;
        });
    }

    @Test
    void firstCompletedOfFuturesAlreadyDoneIsTheFirstOfThemInOrder() {
        run(() -> {
            Future<String> pending = loop.createFuture();
            Future<String> doneA = loop.createFuture();
            Future<String> doneB = loop.createFuture();
            doneB.setResult("b");
            doneA.setResult("a");
            assertSame(doneA, Futures.firstCompleted(List.of(pending, doneA, doneB)).await());
            assertThrows(IllegalArgumentException.class, () -> Futures.firstCompleted(List.<Future<String>>of()));
            return null;
        });
    }

    /** Cancellation regression: cancelling the task that waits for the first leaves the futures alone. */
    @Test
    void cancellingTheTaskWaitingForTheFirstLeavesTheFuturesRunning() {
        VirtualClock.install(loop);
        run(() -> {
            Task<String> a = after(2, "a");
            Task<Task<String>> waiter = Tasks.spawn(() -> Futures.firstCompleted(List.of(a)).await());
            Async.sleep(ofSeconds(1));
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            assertEquals("a", a.await());
            return null;
        });
    }

    // ---- asCompleted

    @Test
    void asCompletedYieldsTheFuturesInTheOrderTheyComplete() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> order = run(() -> {
            Future<String> ready = loop.createFuture();
            ready.setResult("ready");
            List<String> seen = new ArrayList<>();
            List<Future<String>> futures = List.of(after(3, "c"), ready, failingAfter(2), after(1, "a"));
            for (Future<String> done : Futures.asCompleted(futures)) {
                assertTrue(done.isDone());
                String at = "@" + Duration.ofNanos(loop.time()).toSeconds();
                seen.add(switch (done.outcome()) {
                    case Outcome.Success<String>(String value) -> value + at;
                    case Outcome.Failure<String>(Throwable error) -> "failed" + at;
                    case Outcome.Cancelled<String> cancelled -> "cancelled" + at;
                });
            }
            return seen;
        });
        assertEquals(List.of("ready@0", "a@1", "failed@2", "c@3"), order);
        assertEquals(ofSeconds(3), clock.elapsed());
    }

    @Test
    void asCompletedIsIteratedOnceAndEnds() {
        run(() -> {
            Future<String> done = loop.createFuture();
            done.setResult("done");
            Iterable<Future<String>> completed = Futures.asCompleted(List.of(done));
            Iterator<Future<String>> iterator = completed.iterator();
            assertThrows(InvalidStateException.class, completed::iterator);
            assertTrue(iterator.hasNext());
            assertSame(done, iterator.next());
            assertFalse(iterator.hasNext());
            assertThrows(NoSuchElementException.class, iterator::next);
            return null;
        });
    }

    /** Cancellation regression: cancelling the iterating task ends its wait; the futures go on. */
    @Test
    void cancellingTheIteratingTaskLeavesTheFuturesRunning() {
        VirtualClock.install(loop);
        run(() -> {
            Task<String> a = after(1, "a");
            Task<String> b = after(3, "b");
            List<String> seen = new ArrayList<>();
            Task<Void> consumer = Tasks.spawn(() -> {
                for (Task<String> done : Futures.asCompleted(List.of(a, b))) {
                    seen.add(done.result());
                }
                return null;
            });
            Async.sleep(ofSeconds(2));
            consumer.cancel();
            assertThrows(CancellationException.class, consumer::await);
            assertEquals(List.of("a"), seen);
            assertEquals("b", b.await());
            return null;
        });
    }
}
