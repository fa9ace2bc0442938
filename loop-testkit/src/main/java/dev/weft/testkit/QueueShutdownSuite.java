package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.QueueShutDownException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncQueue} shutdown (Python 3.13 semantics, with nothing dropped silently) and cancellation: no item lost,
 * none inserted by a putter that gave up.
 */
public abstract class QueueShutdownSuite extends LoopSuite {

    @Test
    void afterShutdownPutFailsAtOnceAndGetDrainsThenFails() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            queue.put("a");
            queue.put("b");
            queue.shutdown();
            queue.shutdown(); // idempotent
            assertTrue(queue.isShutdown());
            var put = assertThrows(QueueShutDownException.class, () -> queue.put("c"));
            assertTrue(put.getMessage().contains("shut down"), put.getMessage());
            assertThrows(QueueShutDownException.class, () -> queue.putNow("c"));
            assertEquals("a", queue.get());
            assertEquals("b", queue.getNow());
            assertThrows(QueueShutDownException.class, queue::get);
            assertThrows(QueueShutDownException.class, queue::getNow);
            return null;
        });
    }

    @Test
    void shutdownWakesWaitingGettersAndPuttersWithQueueShutDown() {
        Steps steps = new Steps();
        List<String> left = run(() -> {
            AsyncQueue<String> empty = AsyncQueue.fifo(0);
            AsyncQueue<String> full = AsyncQueue.fifo(1);
            full.put("kept");
            Task<String> getter = Tasks.spawn(() -> {
                steps.expect(1);
                return empty.get();
            });
            Task<Void> putter = Tasks.spawn(() -> {
                steps.expect(2);
                full.put("refused");
                return null;
            });
            Async.sleep(Duration.ZERO);
            steps.expect(3);
            empty.shutdown();
            full.shutdown();
            assertThrows(QueueShutDownException.class, getter::await);
            assertThrows(QueueShutDownException.class, putter::await);
            return List.of(full.getNow());
        });
        steps.finish(4);
        assertEquals(List.of("kept"), left, "the refused put was inserted");
    }

    @Test
    void shutdownNowReturnsTheUndeliveredItemsInOrderAndReleasesJoin() {
        List<Integer> left = run(() -> {
            AsyncQueue<Integer> queue = AsyncQueue.priority(0);
            for (int item : List.of(5, 3, 9)) {
                queue.put(item);
            }
            Task<Void> joiner = Tasks.spawn(() -> {
                queue.join();
                return null;
            });
            Async.sleep(Duration.ZERO);
            assertFalse(joiner.isDone());
            List<Integer> undelivered = queue.shutdownNow();
            joiner.await(); // the items handed back count as done
            assertTrue(queue.isEmpty());
            assertThrows(QueueShutDownException.class, queue::get);
            return undelivered;
        });
        assertEquals(List.of(3, 5, 9), left);
    }

    /** An item already set aside for a woken getter is handed back by shutdownNow, not lost with the getter. */
    @Test
    void shutdownNowHandsBackAnItemSetAsideForAWokenGetter() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Task<String> getter = Tasks.spawn(queue::get);
            Async.sleep(Duration.ZERO);
            queue.put("in flight");
            assertEquals(List.of("in flight"), queue.shutdownNow());
            assertThrows(QueueShutDownException.class, getter::await);
            return null;
        });
    }

    // ---- cancellation

    /** Regression: a getter cancelled while waiting takes nothing; the next item goes to the next getter. */
    @Test
    void aGetterCancelledWhileWaitingTakesNothing() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Task<String> cancelled = Tasks.spawn(queue::get);
            Task<String> other = Tasks.spawn(queue::get);
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            queue.put("x");
            assertThrows(CancellationException.class, cancelled::await);
            assertEquals("x", other.await());
            return null;
        });
    }

    /** Regression: a getter cancelled after an item was set aside for it, before it ran, loses no item. */
    @Test
    void aGetterCancelledAfterAnItemWasSetAsideForItPassesItOn() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Task<String> cancelled = Tasks.spawn(queue::get);
            Task<String> other = Tasks.spawn(queue::get);
            Async.sleep(Duration.ZERO);
            queue.put("x");
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            assertEquals("x", other.await());
            return null;
        });
    }

    /** Regression: with no other getter, the item of a cancelled getter stays in the queue, in its place. */
    @Test
    void theItemOfTheLastGetterCancelledAfterItWasSetAsideStaysQueued() {
        List<String> left = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(2);
            Task<String> cancelled = Tasks.spawn(queue::get);
            Async.sleep(Duration.ZERO);
            queue.put("first");
            queue.put("second");
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            assertEquals(2, queue.size());
            return List.of(queue.getNow(), queue.getNow());
        });
        assertEquals(List.of("first", "second"), left);
    }

    /** A get given up by a timer, as a timeout gives up, takes nothing: the next get receives the item. */
    @Test
    void aGetGivenUpByATimerTakesNothing() {
        VirtualClock clock = VirtualClock.install(loop);
        String got = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Task<String> impatient = Tasks.spawn(queue::get);
            loop.callLater(Duration.ofSeconds(30), impatient::cancel);
            assertThrows(CancellationException.class, impatient::await);
            assertEquals(Duration.ofSeconds(30), clock.elapsed());
            queue.put("late");
            return queue.get();
        });
        assertEquals("late", got);
    }

    /** Regression: a putter cancelled while waiting inserts nothing. */
    @Test
    void aPutterCancelledWhileWaitingInsertsNothing() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(1);
            queue.put("a");
            Task<Void> putter = Tasks.spawn(() -> {
                queue.put("b");
                return null;
            });
            Async.sleep(Duration.ZERO);
            putter.cancel();
            assertThrows(CancellationException.class, putter::await);
            assertEquals("a", queue.get());
            assertTrue(queue.isEmpty(), "a cancelled put inserted its item");
            queue.taskDone();
            queue.join(); // the cancelled put did not count as unfinished work
            return null;
        });
    }

    /** Regression: a putter cancelled after room was set aside for it, before it ran, passes the room on. */
    @Test
    void aPutterCancelledAfterRoomWasSetAsideForItPassesItOn() {
        List<String> left = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(1);
            queue.put("a");
            Task<Void> cancelled = Tasks.spawn(() -> {
                queue.put("b");
                return null;
            });
            Task<Void> other = Tasks.spawn(() -> {
                queue.put("c");
                return null;
            });
            Async.sleep(Duration.ZERO);
            assertEquals("a", queue.get()); // room for the first putter
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            other.await(); // got the room; otherwise this waits forever
            return List.of(queue.getNow());
        });
        assertEquals(List.of("c"), left);
    }
}
