package dev.weft.testkit;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Async;
import dev.weft.loop.TimerHandle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Timers: deadline order, ties in scheduling order, never early, cancelled ones never run and do not pile up. */
public abstract class TimerSuite extends LoopSuite {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void timersRunInDeadlineOrder() {
        long base = loop.time();
        List<Integer> ran = new ArrayList<>();
        int[] offsets = {30, 10, 20, 0, 25, 5};
        for (int offset : offsets) {
            loop.callAt(base + offset * MS, () -> {
                ran.add(offset);
                if (ran.size() == offsets.length) {
                    loop.stop();
                }
            });
        }
        loop.runForever();
        assertEquals(List.of(0, 5, 10, 20, 25, 30), ran);
    }

    @Test
    void timersWithEqualDeadlinesRunInSchedulingOrder() {
        long deadline = loop.time() + 2 * MS;
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            loop.callAt(deadline, () -> ran.add(n));
        }
        loop.callAt(deadline, loop::stop);
        loop.runForever();
        assertEquals(IntStream.range(0, 50).boxed().toList(), ran);
    }

    /** Compare the loop's own clock when each callback runs with its deadline: a timer may be late, never early. */
    @Test
    void timersNeverRunEarly() {
        List<String> early = new ArrayList<>();
        int count = 200;
        int[] fired = {0};
        for (int i = 0; i < count; i++) {
            long delay = (i % 20) * MS + i * 1000L; // 0..19 ms, not on millisecond boundaries
            long scheduledAt = loop.time();
            TimerHandle[] self = new TimerHandle[1];
            self[0] = loop.callLater(Duration.ofNanos(delay), () -> {
                long now = loop.time();
                if (now - self[0].when() < 0 || now - scheduledAt < delay) {
                    early.add("timer due at +" + delay + " ns ran " + (self[0].when() - now) + " ns early");
                }
                if (++fired[0] == count) {
                    loop.stop();
                }
            });
        }
        loop.runForever();
        assertEquals(List.of(), early);
    }

    @Test
    void aCancelledTimerNeverRuns() {
        List<Integer> ran = new ArrayList<>();
        long deadline = loop.time() + 2 * MS;
        List<TimerHandle> timers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            timers.add(loop.callAt(deadline, () -> {
                ran.add(n);
                if (n == 2) {
                    timers.get(3).cancel(); // due in this same iteration, already on its way to run
                }
            }));
        }
        for (int i = 5; i < 10; i++) {
            assertTrue(timers.get(i).cancel());
        }
        assertFalse(timers.get(5).cancel(), "a second cancel does nothing");
        loop.callAt(deadline + 3 * MS, loop::stop);
        loop.runForever();
        assertEquals(List.of(0, 1, 2, 4), ran);
    }

    @Test
    void tenThousandTimersAllFireInDeadlineOrder() {
        int count = 10_000;
        Random random = new Random(42);
        List<Long> deadlines = new ArrayList<>(count);
        int[] early = {0};
        for (int i = 0; i < count; i++) {
            TimerHandle[] self = new TimerHandle[1];
            self[0] = loop.callLater(Duration.ofNanos(random.nextInt(50) * MS + random.nextInt(1000)), () -> {
                if (loop.time() - self[0].when() < 0) {
                    early[0]++;
                }
                deadlines.add(self[0].when());
                if (deadlines.size() == count) {
                    loop.stop();
                }
            });
        }
        loop.runForever();
        assertEquals(count, deadlines.size());
        assertEquals(0, early[0], "timers ran early");
        for (int i = 1; i < count; i++) {
            assertTrue(deadlines.get(i - 1) - deadlines.get(i) <= 0, "timer " + i + " ran before an earlier one");
        }
    }

    /**
     * A program that arms and cancels many timeouts must not keep their callbacks alive until their far deadlines:
     * once the loop next waits, the cancelled timers are gone from its heap.
     */
    @Test
    void cancellingMostOfTenThousandTimersPurgesThem() {
        assumeTrue(loop instanceof AbstractEventLoop, "timerCount() is a hook of the shared core");
        AbstractEventLoop core = (AbstractEventLoop) loop;
        int live = run(() -> {
            List<TimerHandle> timers = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                timers.add(loop.callLater(NEVER.plusMillis(i), () -> {
                    throw new AssertionError("a far timer ran");
                }));
            }
            for (int i = 0; i < 9_000; i++) {
                timers.get(i).cancel();
            }
            Async.sleep(Duration.ofMillis(1)); // the loop waits, and so looks at its timers
            int left = core.timerCount();
            timers.forEach(TimerHandle::cancel);
            return left;
        });
        assertEquals(1_000, live);
    }
}
