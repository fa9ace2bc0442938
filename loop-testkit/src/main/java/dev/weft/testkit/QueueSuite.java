package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.QueueEmptyException;
import dev.weft.sync.QueueFullException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncQueue}: the three orders, waiting while full or empty, fairness, taskDone/join. Shutdown and
 * cancellation are in {@link QueueShutdownSuite}.
 */
public abstract class QueueSuite extends LoopSuite {

    /** Take every item now, in the order the queue hands them out. */
    static <T> List<T> drain(AsyncQueue<T> queue) {
        List<T> all = new ArrayList<>();
        while (!queue.isEmpty()) {
            all.add(queue.getNow());
        }
        return all;
    }

    @Test
    void aNegativeMaxSizeIsRefusedNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> AsyncQueue.fifo(-2));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.lifo(-1));
        assertThrows(IllegalArgumentException.class, () -> AsyncQueue.<Integer>priority(-1));
    }

    @Test
    void eachKindHandsItemsOutInItsOrder() {
        run(() -> {
            List<AsyncQueue<Integer>> queues = List.of(AsyncQueue.fifo(0), AsyncQueue.lifo(0),
                    AsyncQueue.priority(0), AsyncQueue.priority(0, Comparator.reverseOrder()));
            for (AsyncQueue<Integer> queue : queues) {
                for (int item : List.of(3, 1, 4, 1, 5)) {
                    queue.put(item);
                }
            }
            assertEquals(List.of(3, 1, 4, 1, 5), drain(queues.get(0)), "fifo");
            assertEquals(List.of(5, 1, 4, 1, 3), drain(queues.get(1)), "lifo");
            assertEquals(List.of(1, 1, 3, 4, 5), drain(queues.get(2)), "priority");
            assertEquals(List.of(5, 4, 3, 1, 1), drain(queues.get(3)), "priority, reversed");
            return null;
        });
    }

    /** Items the comparator finds equal come out in the order they were put. */
    @Test
    void aPriorityQueueKeepsEqualItemsInTheOrderTheyCame() {
        List<String> out = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.priority(0, Comparator.comparing(String::length));
            for (String item : List.of("ccc", "b1", "a", "b2", "b3", "d")) {
                queue.putNow(item);
            }
            return drain(queue);
        });
        assertEquals(List.of("a", "d", "b1", "b2", "b3", "ccc"), out);
    }

    @Test
    void sizeEmptyAndFullFollowTheItems() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(2);
            assertEquals(2, queue.maxSize());
            assertTrue(queue.isEmpty());
            queue.putNow("a");
            queue.putNow("b");
            assertEquals(2, queue.size());
            assertTrue(queue.isFull());
            var full = assertThrows(QueueFullException.class, () -> queue.putNow("c"));
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            assertEquals("a", queue.getNow());
            assertFalse(queue.isFull());
            assertEquals("b", queue.getNow());
            var empty = assertThrows(QueueEmptyException.class, queue::getNow);
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            AsyncQueue<Integer> unbounded = AsyncQueue.fifo(0);
            for (int i = 0; i < 10_000; i++) {
                unbounded.putNow(i);
            }
            assertFalse(unbounded.isFull());
            assertEquals(10_000, unbounded.size());
            return null;
        });
    }

    @Test
    void getWaitsForAnItemAndGettersAreServedInTheOrderTheyCame() {
        Steps steps = new Steps();
        List<String> got = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            List<Task<String>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                getters.add(Tasks.spawn(() -> {
                    steps.expect(1 + n);
                    String item = queue.get();
                    steps.expect(5 + n);
                    return item;
                }));
            }
            Async.sleep(Duration.ZERO);
            steps.expect(4);
            for (String item : List.of("a", "b", "c")) {
                queue.put(item);
            }
            assertTrue(queue.isEmpty(), "items handed to waiting getters are not free to take");
            List<String> results = new ArrayList<>();
            for (Task<String> getter : getters) {
                results.add(getter.await());
            }
            return results;
        });
        steps.finish(8);
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    void putWaitsForRoomAndPuttersAreServedInTheOrderTheyCame() {
        Steps steps = new Steps();
        List<String> got = run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(1);
            queue.put("a");
            List<Task<Void>> putters = new ArrayList<>();
            for (String item : List.of("b", "c", "d")) {
                int n = putters.size();
                putters.add(Tasks.spawn(() -> {
                    steps.expect(1 + n);
                    queue.put(item);
                    steps.expect(4 + n);
                    return null;
                }));
            }
            Async.sleep(Duration.ZERO);
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                taken.add(queue.get());
                assertThrows(QueueFullException.class, () -> queue.putNow("newcomer"),
                        "the room set aside for a waiting putter was taken by a newcomer");
                Async.sleep(Duration.ZERO);
            }
            taken.add(queue.get());
            for (Task<Void> putter : putters) {
                putter.await();
            }
            return taken;
        });
        steps.finish(7);
        assertEquals(List.of("a", "b", "c", "d"), got);
    }

    /** An item handed to a waiting getter is its own: the putter cannot take it back with getNow. */
    @Test
    void anItemForAWaitingGetterCannotBeTakenByANewcomer() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            Task<String> getter = Tasks.spawn(queue::get);
            Async.sleep(Duration.ZERO);
            queue.putNow("mine");
            assertThrows(QueueEmptyException.class, queue::getNow);
            assertEquals("mine", getter.await());
            return null;
        });
    }

    // ---- taskDone and join

    @Test
    void joinWaitsUntilEveryItemPutIsDone() {
        Steps steps = new Steps();
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            queue.join(); // nothing put: returns at once
            queue.put("a");
            queue.put("b");
            Task<Void> joiner = Tasks.spawn(() -> {
                steps.expect(1);
                queue.join();
                steps.expect(4);
                return null;
            });
            Async.sleep(Duration.ZERO);
            queue.get();
            queue.get();
            steps.expect(2);
            queue.taskDone();
            Async.sleep(Duration.ZERO);
            steps.expect(3);
            queue.taskDone();
            joiner.await();
            return null;
        });
        steps.finish(5);
    }

    @Test
    void taskDoneMoreOftenThanItemsWerePutThrows() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            var e = assertThrows(InvalidStateException.class, queue::taskDone);
            assertTrue(e.getMessage().contains("taskDone"), e.getMessage());
            queue.put("a");
            queue.get();
            queue.taskDone();
            assertThrows(InvalidStateException.class, queue::taskDone);
            queue.join();
            return null;
        });
    }

    /** Regression: a joiner cancelled while waiting leaves; the others still return when the work is done. */
    @Test
    void aJoinerCancelledWhileWaitingLeavesTheOthersWaiting() {
        run(() -> {
            AsyncQueue<String> queue = AsyncQueue.fifo(0);
            queue.put("a");
            Task<Void> cancelled = Tasks.spawn(() -> {
                queue.join();
                return null;
            });
            Task<Void> other = Tasks.spawn(() -> {
                queue.join();
                return null;
            });
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            assertThrows(CancellationException.class, cancelled::await);
            assertFalse(other.isDone());
            queue.get();
            queue.taskDone();
            other.await();
            return null;
        });
    }
}
