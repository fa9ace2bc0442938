package dev.weft.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers fire earliest first, equal deadlines in the order they were set, whichever part of the queue holds them:
 * deadlines in order (the FIFO), out of order (the heap), and both mixed, with some cancelled on the way.
 */
@Timeout(30)
class TimerQueueTest {
    private record Set(long deadline, int order) {
    }

    @Test
    void inOrderDeadlinesFireInOrder() {
        assertFiresInOrder(i -> i / 3); // ascending, with ties
    }

    @Test
    void outOfOrderDeadlinesFireInOrder() {
        Random random = new Random(16);
        assertFiresInOrder(i -> random.nextInt(500));
    }

    @Test
    void runsOfDeadlinesInterleavedFireInOrder() {
        // Two fixed durations set in turn, as requests with two timeouts would: one run ascends, the other falls back.
        assertFiresInOrder(i -> i % 2 == 0 ? 1_000 + i : i);
    }

    @Test
    void cancelledTimersArePurgedFromBothParts() {
        try (BareLoop loop = new BareLoop("timers")) {
            // Not due for an hour, so only the purge can drop them: evens ascend (the FIFO), odds fall back (the heap).
            long later = loop.time() + Duration.ofHours(1).toNanos();
            List<TimerHandle> fifo = new ArrayList<>();
            List<TimerHandle> heap = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                (i % 2 == 0 ? fifo : heap).add(loop.callAt(later + (i % 2 == 0 ? i : -i), () -> { }));
            }
            fifo.subList(50, 500).forEach(TimerHandle::cancel); // not the FIFO's head: the head drop alone cannot do it
            heap.subList(50, 500).forEach(TimerHandle::cancel);
            assertEquals(1_000, loop.timerCount());
            loop.callLater(Duration.ofMillis(1), loop::stop); // the wait for it looks at the timers: the purge
            loop.runForever();
            assertEquals(100, loop.timerCount(), "the 900 cancelled timers were purged from both parts");
            fifo.subList(0, 50).forEach(timer -> assertTrue(timer.queued));
            heap.subList(0, 50).forEach(timer -> assertTrue(timer.queued));
            fifo.subList(50, 500).forEach(timer -> assertFalse(timer.queued));
            heap.subList(50, 500).forEach(timer -> assertFalse(timer.queued));
        }
    }

    private interface Deadlines {
        long of(int i);
    }

    private static void assertFiresInOrder(Deadlines deadlines) {
        try (BareLoop loop = new BareLoop("timers")) {
            long past = loop.time() - 1_000_000_000L; // all due: one turn of the loop moves them all, earliest first
            List<Set> expected = new ArrayList<>();
            List<Set> fired = new ArrayList<>();
            long latest = past;
            for (int i = 0; i < 2_000; i++) {
                Set set = new Set(past + deadlines.of(i), i);
                TimerHandle timer = loop.callAt(set.deadline, () -> fired.add(set));
                if (i % 7 == 3) {
                    timer.cancel();
                } else {
                    expected.add(set);
                }
                latest = Math.max(latest, set.deadline);
            }
            loop.callAt(latest + 1, loop::stop);
            loop.runForever();
            expected.sort(Comparator.comparingLong(Set::deadline).thenComparingInt(Set::order));
            assertEquals(expected, fired);
            assertEquals(0, loop.timerCount());
        }
    }
}
