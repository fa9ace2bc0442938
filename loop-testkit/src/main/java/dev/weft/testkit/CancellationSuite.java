package dev.weft.testkit;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Contract 4: cancellation is a CancellationException delivered at the task's next await. */
public abstract class CancellationSuite extends LoopSuite {

    /** A task that has started and now sleeps "forever". */
    private static Task<String> sleeper(Future<Void> started) {
        return Tasks.spawn(() -> {
            started.setResult(null);
            Async.sleep(NEVER);
            return "woke";
        });
    }

    @Test
    void cancellingASleepingTaskEndsItCancelled() {
        run(() -> {
            Future<Void> started = loop.createFuture();
            Task<String> task = sleeper(started);
            started.await();
            assertTrue(task.cancel());
            CancellationException seen = assertThrows(CancellationException.class, task::await);
            assertTrue(task.isCancelled());
            assertInstanceOf(Outcome.Cancelled.class, task.outcome());
            assertThrows(CancellationException.class, task::result);
            return seen;
        });
    }

    /** The sleep's timer goes with it: after many cancelled sleeps, the loop holds none of their timers. */
    @Test
    void cancellingSleepingTasksCancelsTheirTimers() {
        assumeTrue(loop instanceof AbstractEventLoop, "timerCount() is a hook of the shared core");
        int left = run(() -> {
            List<Task<String>> tasks = new ArrayList<>();
            List<Future<Void>> started = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                started.add(loop.createFuture());
                tasks.add(sleeper(started.get(i)));
            }
            for (Future<Void> each : started) {
                each.await();
            }
            tasks.forEach(Task::cancel);
            for (Task<String> task : tasks) {
                assertThrows(CancellationException.class, task::await);
            }
            Async.sleep(Duration.ofMillis(1)); // the loop waits, and so looks at its timers
            return ((AbstractEventLoop) loop).timerCount();
        });
        assertEquals(0, left);
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRunsItsBody() {
        boolean[] ran = {false};
        run(() -> {
            Task<String> task = Tasks.spawn(() -> {
                ran[0] = true;
                return "ran";
            });
            assertTrue(task.cancel());
            assertThrows(CancellationException.class, task::await);
            assertTrue(task.isCancelled());
            return null;
        });
        assertFalse(ran[0]);
    }

    @Test
    void cancellingATaskCancelsTheFutureItAwaits() {
        run(() -> {
            Future<Void> started = loop.createFuture();
            Future<String> awaited = loop.createFuture();
            Task<String> task = Tasks.spawn(() -> {
                started.setResult(null);
                return awaited.await();
            });
            started.await();
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            assertTrue(awaited.isCancelled());
            return null;
        });
    }

    @Test
    void cancellingATaskCancelsTheCompletableFutureItAwaits() {
        CompletableFuture<String> stage = new CompletableFuture<>();
        run(() -> {
            Future<Void> started = loop.createFuture();
            Task<String> task = Tasks.spawn(() -> {
                started.setResult(null);
                return Async.await(stage);
            });
            started.await();
            task.cancel();
            assertThrows(CancellationException.class, task::await);
            return null;
        });
        assertTrue(stage.isCancelled());
    }

    @Test
    void cancellingATaskCancelsTheTaskItAwaits() {
        run(() -> {
            Future<Void> started = loop.createFuture();
            Task<String> inner = sleeper(started);
            Task<String> outer = Tasks.spawn(inner::await);
            started.await();
            Async.sleep(Duration.ZERO); // outer now awaits inner
            outer.cancel();
            assertThrows(CancellationException.class, outer::await);
            assertThrows(CancellationException.class, inner::await);
            assertTrue(inner.isCancelled());
            return null;
        });
    }

    @Test
    void aTaskThatCatchesCancellationEndsWithTheValueItReturns() {
        String got = run(() -> {
            Future<Void> started = loop.createFuture();
            Task<String> task = Tasks.spawn(() -> {
                started.setResult(null);
                try {
                    Async.sleep(NEVER);
                    return "woke";
                } catch (CancellationException e) {
                    return "caught";
                }
            });
            started.await();
            task.cancel();
            String value = task.await();
            assertFalse(task.isCancelled());
            assertEquals(new Outcome.Success<>("caught"), task.outcome());
            return value;
        });
        assertEquals("caught", got);
    }

    /** Cancelling is a request: code before the next await still runs, and the await raises it. */
    @Test
    void aTaskSeesItsCancellationAtItsNextAwait() {
        Steps steps = new Steps();
        run(() -> {
            Task<?> task = Tasks.spawn(() -> {
                steps.expect(1);
                assertTrue(Tasks.current().orElseThrow().cancel());
                steps.expect(2);
                try {
                    Async.sleep(Duration.ZERO);
                } catch (CancellationException e) {
                    steps.expect(3);
                    throw e;
                }
                return null;
            });
            assertThrows(CancellationException.class, task::await);
            return null;
        });
        steps.finish(4);
    }

    @Test
    void cancellingADoneTaskReturnsFalseAndChangesNothing() {
        run(() -> {
            Task<String> task = Tasks.spawn(() -> "done");
            assertEquals("done", task.await());
            assertFalse(task.cancel());
            assertFalse(task.isCancelled());
            assertEquals("done", task.result());
            return null;
        });
    }

    @Test
    void cancellingAFutureRunsItsCallbacksWithTheMessage() {
        List<String> seen = run(() -> {
            Future<String> future = loop.createFuture();
            Future<List<String>> called = loop.createFuture();
            future.addDoneCallback(f -> called.setResult(List.of(
                    String.valueOf(f.isCancelled()),
                    assertThrows(CancellationException.class, f::result).getMessage())));
            assertTrue(future.cancel("no longer needed"));
            assertFalse(future.cancel(), "a second cancel does nothing");
            return called.await();
        });
        assertEquals(List.of("true", "no longer needed"), seen);
    }

    /**
     * The awaited future fails and the task is cancelled before it resumes: the task sees the cancellation, and the
     * failure rides along as suppressed instead of reaching the exception handler as never retrieved.
     */
    @Test
    void aFailureThatLosesTheRaceToACancellationIsSuppressedNotLost() {
        CancellationException seen = run(() -> {
            Future<Integer> awaited = loop.createFuture();
            Task<Integer> waiter = Tasks.spawn(awaited::await);
            Async.sleep(Duration.ZERO); // the waiter runs first and suspends on the future
            loop.callSoon(() -> {
                awaited.setException(new IllegalStateException("boom"));
                waiter.cancel();
            });
            return assertThrows(CancellationException.class, waiter::await);
        });
        assertEquals(1, seen.getSuppressed().length, "the failure was not attached");
        assertEquals("boom", seen.getSuppressed()[0].getMessage());
    }
}
