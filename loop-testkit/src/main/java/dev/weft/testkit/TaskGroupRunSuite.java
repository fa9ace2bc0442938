package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * TaskGroup.run, the lambda form: like asyncio's TaskGroup, a child's failure also cancels the body, and the failure,
 * not that cancellation, is what comes out.
 */
public abstract class TaskGroupRunSuite extends LoopSuite {
    private final IllegalStateException boom = new IllegalStateException("boom");

    @Test
    void runReturnsTheBodysValueOnceEveryChildEnded() {
        VirtualClock clock = VirtualClock.install(loop);
        List<Object> seen = run(() -> {
            Task<?>[] child = new Task<?>[1];
            String value = TaskGroup.run(group -> {
                child[0] = group.spawn(() -> {
                    Async.sleep(ofSeconds(2));
                    return "child";
                });
                return "body";
            });
            return List.of(value, child[0].result());
        });
        assertEquals(List.of("body", "child"), seen);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void runCancelsTheBodyWhenAChildFailsAndThrowsTheChildsFailure() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        IllegalStateException alsoFailed = new IllegalStateException("also failed");
        Throwable thrown = run(() -> {
            Task<?> self = Tasks.current().orElseThrow();
            Throwable error = assertThrows(IllegalStateException.class, () -> TaskGroup.run(group -> {
                group.spawn(() -> {
                    Async.sleep(ofSeconds(1));
                    throw boom;
                });
                group.spawn(() -> {
                    try {
                        Async.sleep(NEVER);
                        return null;
                    } catch (CancellationException e) {
                        steps.expect(2);
                        throw alsoFailed;
                    }
                });
                steps.expect(1);
                try {
                    Async.sleep(NEVER);
                } catch (CancellationException e) {
                    steps.expect(3);
                    throw e;
                }
                return "not cancelled";
            }));
            assertEquals(0, self.cancelling(), "the group took back the cancellation it used to stop the body");
            Async.sleep(ofSeconds(1)); // and left none pending
            steps.expect(4);
            return error;
        });
        steps.finish(5);
        assertSame(boom, thrown);
        assertArrayEquals(new Throwable[] {alsoFailed}, thrown.getSuppressed());
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void runCancelsTheChildrenWhenTheBodyFails() {
        VirtualClock clock = VirtualClock.install(loop);
        IllegalArgumentException bodyError = new IllegalArgumentException("body failed");
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        Throwable thrown = run(() -> assertThrows(IllegalArgumentException.class, () -> TaskGroup.run(group -> {
            group.spawn(() -> {
                try {
                    Async.sleep(NEVER);
                    return null;
                } catch (CancellationException e) {
                    throw cleanupFailed;
                }
            });
            Async.sleep(ofSeconds(1));
            throw bodyError;
        })));
        assertSame(bodyError, thrown);
        assertArrayEquals(new Throwable[] {cleanupFailed}, thrown.getSuppressed());
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    /** Cancellation regression: a cancellation from outside wins, once every child ended; failures are kept on it. */
    @Test
    void runLetsACancellationFromOutsideThroughAfterTheChildrenEnded() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        run(() -> {
            Task<String> parent = Tasks.spawn(() -> TaskGroup.run(group -> {
                group.spawn(() -> {
                    try {
                        Async.sleep(NEVER);
                        return null;
                    } catch (CancellationException e) {
                        Tasks.shielded(() -> Async.sleep(ofSeconds(1))); // clean-up that awaits: shielded
                        steps.expect(3);
                        throw cleanupFailed;
                    }
                });
                steps.expect(1);
                Async.sleep(NEVER);
                return "not cancelled";
            }));
            Async.sleep(ofSeconds(1));
            steps.expect(2);
            parent.cancel();
            assertThrows(CancellationException.class, parent::await);
            steps.expect(4);
            Outcome.Cancelled<String> outcome = assertInstanceOf(Outcome.Cancelled.class, parent.outcome());
            assertArrayEquals(new Throwable[] {cleanupFailed}, outcome.cause().getSuppressed());
            return null;
        });
        steps.finish(5);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void runWrapsACheckedFailureInCompletionException() {
        IOException refused = new IOException("connection refused");
        CompletionException thrown = run(() -> assertThrows(CompletionException.class, () -> TaskGroup.run(group -> {
            group.spawn(() -> {
                throw refused;
            });
            return null;
        })));
        assertSame(refused, thrown.getCause());
    }
}
