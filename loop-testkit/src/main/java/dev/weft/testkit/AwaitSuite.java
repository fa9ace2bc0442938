package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract 3, all three cases: await suspends a task, fails at once on a loop thread outside a task, and blocks a
 * foreign thread. The step numbers say which code runs while a task is suspended.
 */
public abstract class AwaitSuite extends LoopSuite {

    @Test
    void awaitInATaskSuspendsTheTaskWhileOtherTasksAndCallbacksRun() {
        Steps steps = new Steps();
        String got = run(() -> {
            steps.expect(1);
            Future<String> gate = loop.createFuture();
            Task<String> waiter = Tasks.spawn(() -> {
                steps.expect(3);
                String value = gate.await();
                steps.expect(6);
                return value;
            });
            loop.callSoon(() -> steps.expect(4));
            Tasks.spawn(() -> {
                steps.expect(5);
                gate.setResult("open");
                return null;
            });
            steps.expect(2);
            String value = waiter.await();
            steps.expect(7);
            return value;
        });
        assertEquals("open", got);
        steps.finish(8);
    }

    /** Waiting there would stop the very loop that must complete the future: it fails instead of deadlocking. */
    @Test
    void awaitOnTheLoopThreadOutsideATaskFailsAtOnce() {
        onLoop(() -> {
            Future<String> pending = loop.createFuture();
            assertThrows(BlockingOnLoopException.class, pending::await);
            assertThrows(BlockingOnLoopException.class, () -> Async.await(pending));
            assertThrows(BlockingOnLoopException.class, () -> Async.await(new CompletableFuture<String>()));
            assertThrows(BlockingOnLoopException.class, () -> Async.sleep(Duration.ofMillis(1)));
            assertFalse(pending.isDone());
        });
    }

    @Test
    void awaitFromAForeignThreadBlocksThatThreadUntilTheLoopCompletesTheFuture() {
        String seen = run(() -> {
            Future<String> gate = loop.createFuture();
            var awaiter = onForeignThread(gate::await);
            awaiter.awaitParked();
            assertFalse(awaiter.result().isDone(), "the foreign await returned before the future completed");
            gate.setResult("open");
            return Async.await(awaiter.result());
        });
        assertEquals("open", seen);
    }

    @Test
    void aForeignThreadAwaitingATaskGetsItsFailure() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        Throwable seen = run(() -> {
            Future<Void> gate = loop.createFuture();
            Task<String> failing = Tasks.spawn(() -> {
                gate.await();
                throw boom;
            });
            var awaiter = onForeignThread(() -> assertThrows(IllegalArgumentException.class, failing::await));
            awaiter.awaitParked();
            gate.setResult(null);
            return Async.await(awaiter.result());
        });
        assertSame(boom, seen);
    }

    @Test
    void asyncAwaitOnACompletionStageSuspendsTheTask() {
        Steps steps = new Steps();
        run(() -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Task<String> waiter = Tasks.spawn(() -> {
                steps.expect(2);
                String value = Async.await(stage);
                steps.expect(4);
                return value;
            });
            Tasks.spawn(() -> {
                steps.expect(3);
                return stage.complete("done");
            });
            steps.expect(1);
            assertEquals("done", waiter.await());
            return null;
        });
        steps.finish(5);
    }

    /** The completing thread must not run the task's code: the task resumes on its loop, as the same task. */
    @Test
    void aStageCompletedByAnotherThreadResumesTheTaskOnItsLoop() {
        run(() -> {
            Task<?> self = Tasks.current().orElseThrow();
            Thread before = Thread.currentThread();
            CompletableFuture<String> stage = new CompletableFuture<>();
            var completer = onForeignThread(() -> stage.complete("from afar"));
            assertEquals("from afar", Async.await(stage));
            assertTrue(Async.await(completer.result()));
            assertSame(before, Thread.currentThread());
            assertSame(self, Tasks.current().orElseThrow());
            assertTrue(loop.inLoop());
            assertSame(loop, EventLoop.current());
            Future<String> confined = loop.createFuture(); // confined calls work again: we are on the loop
            loop.callSoon(() -> confined.setResult("still confined"));
            return confined.await();
        });
    }

    /** A future of another loop, running on another thread: awaiting it suspends this task until that loop is done. */
    @Test
    void aTaskAwaitsAFutureOfAnotherLoop() throws Exception {
        EventLoop other = openLoop();
        var otherThread = onForeignThread(() -> {
            try {
                other.runForever();
            } finally {
                other.close(); // where it ran: an io_uring loop may only be closed there
            }
            return null;
        });
        try {
            String got = run(() -> {
                CompletableFuture<Future<String>> made = other.submit(() -> other.<String>createFuture());
                Future<String> remote = Async.await(made);
                other.callSoonThreadsafe(() -> remote.setResult("from the other loop"));
                String value = remote.await();
                assertTrue(loop.inLoop());
                return value;
            });
            assertEquals("from the other loop", got);
        } finally {
            other.stop();
            otherThread.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
