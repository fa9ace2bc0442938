package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.UnhandledError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Errors reach someone: the awaiter gets the very exception the task threw (unchecked as it is, checked wrapped in
 * CompletionException), and what nobody retrieves goes to the loop's exception handler, never only to a log.
 */
public abstract class ErrorSuite extends LoopSuite {

    /** An Error of our own, to see that errors travel as they are. */
    static final class TestError extends Error {
        TestError() {
            super("test error");
        }
    }

    @Test
    void anUncheckedFailureReachesTheAwaiterAsItIs() {
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable seen = run(() -> assertThrows(IllegalStateException.class, Tasks.spawn(() -> {
            throw boom;
        })::await));
        assertSame(boom, seen);
    }

    @Test
    void aCheckedFailureReachesTheAwaiterWrappedInCompletionException() {
        IOException boom = new IOException("boom");
        CompletionException seen = run(() -> assertThrows(CompletionException.class, Tasks.spawn(() -> {
            throw boom;
        })::await));
        assertSame(boom, seen.getCause());
    }

    @Test
    void anErrorReachesTheAwaiterAsItIs() {
        TestError boom = new TestError();
        Throwable seen = run(() -> assertThrows(TestError.class, Tasks.spawn(() -> {
            throw boom;
        })::await));
        assertSame(boom, seen);
    }

    /** A CompletableFuture wraps failures in CompletionException; awaiting it unwraps them like a task's. */
    @Test
    void awaitingAFailedCompletableFutureThrowsLikeAFailedTask() {
        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        IOException checked = new IOException("checked");
        List<Throwable> seen = run(() -> List.of(
                assertThrows(IllegalArgumentException.class,
                        () -> Async.await(CompletableFuture.supplyAsync(() -> {
                            throw unchecked;
                        }))),
                assertThrows(CompletionException.class,
                        () -> Async.await(CompletableFuture.failedFuture(checked))).getCause()));
        assertEquals(List.of(unchecked, checked), seen);
    }

    @Test
    void loopsRunThrowsTheFailureOfMain() {
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> Loops.run(this::openLoop, () -> {
            throw unchecked;
        })));
        IOException checked = new IOException("checked");
        assertSame(checked, assertThrows(IOException.class, () -> Loops.run(this::openLoop, () -> {
            throw checked;
        })), "the body's own checked exception, as itself");
    }

    @Test
    void aFailureNobodyRetrievedReachesTheExceptionHandlerWhenTheLoopCloses() {
        IllegalStateException boom = new IllegalStateException("nobody awaits me");
        IllegalStateException futureBoom = new IllegalStateException("nor me");
        List<Future<?>> failed = new ArrayList<>(); // kept reachable, so they are reported at close, not at GC
        run(() -> {
            Task<String> task = loop.createTask("forgotten", () -> {
                throw boom;
            });
            Future<Void> ended = loop.createFuture();
            task.addDoneCallback(t -> ended.setResult(null)); // a callback sees the end without retrieving it
            ended.await();
            Future<String> future = loop.createFuture();
            future.setException(futureBoom);
            failed.add(task);
            failed.add(future);
            return null;
        });
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(2, reported.size(), "reported: " + reported);
        // In no particular order: the loop reports them as it finds them.
        assertEquals(Set.of(boom, futureBoom), reported.stream().map(UnhandledError::exception).collect(toSet()));
        assertTrue(reported.stream().anyMatch(e -> e.exception() == boom && e.message().contains("forgotten")),
                "the report names the task: " + reported);
    }

    @Test
    void aRetrievedFailureIsNotReported() {
        run(() -> {
            for (int i = 0; i < 3; i++) {
                Task<String> task = Tasks.spawn(() -> {
                    throw new IllegalStateException("retrieved");
                });
                Future<Void> ended = loop.createFuture();
                task.addDoneCallback(t -> ended.setResult(null));
                ended.await();
                switch (i) { // each way of looking at a failure retrieves it
                    case 0 -> assertThrows(IllegalStateException.class, task::await);
                    case 1 -> task.exception();
                    default -> task.outcome();
                }
            }
            return null;
        });
        assertEquals(List.of(), takeUnhandled());
    }

    @Test
    void aCallbackThatThrowsGoesToTheExceptionHandlerAndTheLoopKeepsRunning() {
        IllegalStateException boom = new IllegalStateException("callback failed");
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(() -> ran.add("next callback"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("next callback"), ran);
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), "reported: " + reported);
        assertSame(boom, reported.getFirst().exception());
    }
}
