package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many at once: tasks are cheap enough to have ten thousand of, and the loop keeps every one's result and order.
 * The timeouts are generous because the baton fallback pays two thread hand-offs per step; they catch hangs, not
 * slowness, which belongs to the benchmarks.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class ScaleSuite extends LoopSuite {
    private static final int TASKS = 10_000;

    @Test
    void tenThousandConcurrentTasksSleepAndReturnTheirResults() {
        List<Integer> results = run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                int n = i;
                tasks.add(Tasks.spawn(() -> {
                    Async.sleep(Duration.ofMillis(1 + n % 5));
                    return n * 2;
                }));
            }
            List<Integer> values = new ArrayList<>(TASKS);
            for (Task<Integer> task : tasks) {
                values.add(task.await());
            }
            return values;
        });
        for (int i = 0; i < TASKS; i++) {
            assertEquals(i * 2, results.get(i), "result of task " + i);
        }
    }

    /** Each task awaits the one before: a wake-up chain ten thousand long. */
    @Test
    void aChainOfTenThousandAwaitingTasks() {
        int last = run(() -> {
            Task<Integer> previous = Tasks.spawn(() -> 0);
            for (int i = 0; i < TASKS; i++) {
                Task<Integer> before = previous;
                previous = Tasks.spawn(() -> before.await() + 1);
            }
            return previous.await();
        });
        assertEquals(TASKS, last);
    }

    @Test
    void manyThreadsSubmitCallbacksAndEachThreadsOrderIsKept() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new ArrayList<>());
        }
        int[] total = {0};
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        loop.callSoon(() -> {
            for (int t = 0; t < threads; t++) {
                List<Integer> mine = seen.get(t);
                submitters.add(onForeignThread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        loop.callSoonThreadsafe(() -> { // runs on the loop: plain lists and counters suffice
                            mine.add(n);
                            if (++total[0] == threads * perThread) {
                                loop.stop();
                            }
                        });
                    }
                    return (Void) null;
                }).result());
            }
        });
        loop.runForever();
        for (CompletableFuture<Void> submitter : submitters) {
            submitter.get();
        }
        for (List<Integer> mine : seen) {
            assertEquals(perThread, mine.size());
            for (int i = 0; i < perThread; i++) {
                assertEquals(i, mine.get(i));
            }
        }
    }
}
