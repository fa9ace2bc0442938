package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.Barrier;
import dev.weft.sync.BarrierBrokenException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Barrier}: parties wait for each other and pass together; abort, reset and a cancelled party fail the round
 * with {@link BarrierBrokenException}.
 */
public abstract class BarrierSuite extends LoopSuite {

    /** A task that arrives at the barrier and returns its arrival index, recording the steps around the wait. */
    private static Task<Integer> party(Barrier barrier, Steps steps, int before, int after) {
        return Tasks.spawn(() -> {
            steps.expect(before);
            int index = barrier.await();
            steps.expect(after);
            return index;
        });
    }

    @Test
    void aBarrierOfNoPartiesIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
    }

    @Test
    void partiesWaitForTheLastAndPassTogetherWithTheirArrivalIndex() {
        Steps steps = new Steps();
        List<Integer> indexes = run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> first = party(barrier, steps, 1, 5);
            Task<Integer> second = party(barrier, steps, 2, 6);
            Async.sleep(Duration.ZERO);
            assertEquals(2, barrier.waiting());
            steps.expect(3);
            int last = barrier.await(); // the last arrival does not wait
            steps.expect(4);
            assertEquals(0, barrier.waiting());
            return List.of(first.await(), second.await(), last);
        });
        steps.finish(7);
        assertEquals(List.of(0, 1, 2), indexes);
    }

    @Test
    void aBarrierServesRoundAfterRound() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            for (int round = 0; round < 3; round++) {
                Task<Integer> other = Tasks.spawn(barrier::await);
                Async.sleep(Duration.ZERO);
                assertEquals(1, barrier.await());
                assertEquals(0, other.await());
            }
            assertEquals(0, new Barrier(1).await(), "a barrier of one party passes at once");
            return null;
        });
    }

    @Test
    void abortFailsTheWaitersAndLaterArrivalsUntilReset() {
        run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> first = Tasks.spawn(barrier::await);
            Task<Integer> second = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            barrier.abort();
            assertTrue(barrier.isBroken());
            assertThrows(BarrierBrokenException.class, first::await);
            assertThrows(BarrierBrokenException.class, second::await);
            var late = assertThrows(BarrierBrokenException.class, barrier::await);
            assertTrue(late.getMessage().contains("abort"), late.getMessage());
            barrier.reset();
            assertFalse(barrier.isBroken());
            Task<Integer> a = Tasks.spawn(barrier::await);
            Task<Integer> b = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            assertEquals(2, barrier.await());
            assertEquals(List.of(0, 1), List.of(a.await(), b.await()));
            return null;
        });
    }

    @Test
    void resetFailsTheCurrentWaitersAndStartsAFreshRound() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiting = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            barrier.reset();
            var e = assertThrows(BarrierBrokenException.class, waiting::await);
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            assertFalse(barrier.isBroken());
            assertEquals(0, barrier.waiting());
            Task<Integer> next = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            assertEquals(1, barrier.await());
            assertEquals(0, next.await());
            return null;
        });
    }

    // ---- cancellation

    /** Regression: a waiting party cancelled breaks the barrier: the others learn at once, not never. */
    @Test
    void aPartyCancelledWhileWaitingBreaksTheBarrier() {
        Steps steps = new Steps();
        run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> cancelled = party(barrier, steps, 1, 99);
            Task<Integer> other = party(barrier, steps, 2, 99);
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            steps.expect(3);
            assertThrows(CancellationException.class, cancelled::await);
            var e = assertThrows(BarrierBrokenException.class, other::await);
            assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
            assertTrue(barrier.isBroken());
            assertThrows(BarrierBrokenException.class, barrier::await);
            return null;
        });
        steps.finish(4);
    }

    /** Regression: the last party arriving before a cancelled one has run finds the barrier broken, not passed. */
    @Test
    void theLastPartyArrivingRightAfterACancellationFindsTheBarrierBroken() {
        run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> cancelled = Tasks.spawn(barrier::await);
            Task<Integer> other = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            assertThrows(BarrierBrokenException.class, barrier::await);
            assertThrows(CancellationException.class, cancelled::await);
            assertThrows(BarrierBrokenException.class, other::await);
            assertTrue(barrier.isBroken());
            return null;
        });
    }

    /** A party cancelled after its round passed, before it ran, ends cancelled and leaves the next round intact. */
    @Test
    void aPartyCancelledAfterItsRoundPassedDoesNotBreakTheNextRound() {
        run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> party = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            assertEquals(1, barrier.await());
            party.cancel();
            assertThrows(CancellationException.class, party::await);
            assertFalse(barrier.isBroken());
            Task<Integer> next = Tasks.spawn(barrier::await);
            Async.sleep(Duration.ZERO);
            assertEquals(1, barrier.await());
            assertEquals(0, next.await());
            return null;
        });
    }
}
