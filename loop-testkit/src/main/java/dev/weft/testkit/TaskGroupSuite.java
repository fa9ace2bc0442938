package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.ChildFailedException;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.weft.loop.Body;
import java.util.concurrent.CancellationException;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TaskGroup in try-with-resources: no child outlives the group, a failure cancels the rest, and a cancellation waits
 * for every child. {@link TaskGroupRunSuite} covers the lambda form.
 */
public abstract class TaskGroupSuite extends LoopSuite {
    private final IllegalStateException boom = new IllegalStateException("boom");

    /** A child that sleeps until cancelled, then records the step and lets the cancellation out. */
    private static <T> Body<T, RuntimeException> sleeperRecording(Steps steps, int step) {
        return () -> {
            try {
                Async.sleep(NEVER);
                throw new AssertionError("woke from a sleep of an hour");
            } catch (CancellationException e) {
                steps.expect(step);
                throw e;
            }
        };
    }

    @Test
    void closeAwaitsEveryChildAndLeavesTheirResultsInSpawnOrder() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        List<String> results = run(() -> {
            List<Task<String>> children = new ArrayList<>();
            try (TaskGroup group = TaskGroup.open()) {
                steps.expect(1);
                for (int seconds : new int[] {3, 1, 2}) {
                    children.add(group.spawn(() -> {
                        Async.sleep(ofSeconds(seconds));
                        steps.expect(2 + seconds);
                        return seconds + "s";
                    }));
                }
                steps.expect(2);
            }
            steps.expect(6);
            return children.stream().map(Task::result).toList();
        });
        steps.finish(7);
        assertEquals(List.of("3s", "1s", "2s"), results);
        assertEquals(ofSeconds(3), clock.elapsed());
    }

    @Test
    void aFailingChildCancelsTheOthersAndCloseThrowsEveryFailure() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        List<Task<?>> children = new ArrayList<>();
        ChildFailedException thrown = run(() -> assertThrows(ChildFailedException.class, () -> {
            try (TaskGroup group = TaskGroup.open()) {
                children.add(group.spawn(sleeperRecording(steps, 3)));
                children.add(group.spawn(() -> {
                    Async.sleep(ofSeconds(1));
                    steps.expect(2);
                    throw boom;
                }));
                children.add(group.spawn(() -> {
                    try {
                        Async.sleep(NEVER);
                        return null;
                    } catch (CancellationException e) {
                        steps.expect(4);
                        throw cleanupFailed; // fails while being cancelled: a second failure
                    }
                }));
                steps.expect(1);
            }
        }));
        steps.finish(5);
        assertSame(boom, thrown.getCause());
        assertArrayEquals(new Throwable[] {cleanupFailed}, thrown.getSuppressed());
        assertEquals(List.of(boom, cleanupFailed), thrown.failures());
        assertTrue(children.get(0).isCancelled());
        assertEquals(ofSeconds(1), clock.elapsed(), "the siblings were cancelled, not awaited to the end");
    }

    /** The try-with-resources form does not interrupt the body: see TaskGroup's comment for why. */
    @Test
    void aChildsFailureReachesTheBodyOnlyAtClose() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> assertThrows(ChildFailedException.class, () -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn(() -> {
                    steps.expect(2);
                    throw boom;
                });
                steps.expect(1);
                Async.sleep(ofSeconds(1)); // not cancelled by the failure
                steps.expect(3);
            }
        }));
        steps.finish(4);
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    /** Java's rule, relied on above: the body's exception is primary and what close() throws is suppressed on it. */
    @Test
    void theBodysExceptionIsPrimaryAndTheChildFailuresAreSuppressedOnIt() {
        IllegalArgumentException bodyError = new IllegalArgumentException("body failed");
        Throwable thrown = run(() -> assertThrows(IllegalArgumentException.class, () -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn(() -> {
                    throw boom;
                });
                Async.sleep(Duration.ZERO); // the child runs and fails
                throw bodyError;
            }
        }));
        assertSame(bodyError, thrown);
        ChildFailedException suppressed = assertInstanceOf(ChildFailedException.class, thrown.getSuppressed()[0]);
        assertSame(boom, suppressed.getCause());
    }

    /** close() throws a wrapper, not the failure itself, so Java never calls addSuppressed(itself). */
    @Test
    void aBodyThatAwaitsTheFailedChildRethrowsItsFailure() {
        Throwable thrown = run(() -> assertThrows(IllegalStateException.class, () -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn(() -> {
                    throw boom;
                }).await();
            }
        }));
        assertSame(boom, thrown, "the child's own failure, not an IllegalArgumentException from self-suppression");
        assertSame(boom, thrown.getSuppressed()[0].getCause());
    }

    /** close() cannot see the body's own exception, so the children are awaited; TaskGroup.run cancels them. */
    @Test
    void theBodysOwnFailureLeavesTheChildrenToFinish() {
        VirtualClock clock = VirtualClock.install(loop);
        Task<?>[] child = new Task<?>[1];
        run(() -> assertThrows(IllegalArgumentException.class, () -> {
            try (TaskGroup group = TaskGroup.open()) {
                child[0] = group.spawn(() -> {
                    Async.sleep(ofSeconds(2));
                    return "finished";
                });
                throw new IllegalArgumentException("body failed");
            }
        }));
        assertEquals("finished", child[0].result());
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void cancelStopsTheChildrenAndLaterOnesNeverRun() {
        VirtualClock clock = VirtualClock.install(loop);
        boolean[] lateRan = {false};
        run(() -> {
            Task<?> sleeper;
            Task<?> late;
            try (TaskGroup group = TaskGroup.open()) {
                sleeper = group.spawn(() -> Async.await(loop.<String>createFuture()));
                Async.sleep(ofSeconds(1));
                group.cancel();
                late = group.spawn(() -> lateRan[0] = true);
            }
            assertTrue(sleeper.isCancelled());
            assertTrue(late.isCancelled());
            return null;
        });
        assertFalse(lateRan[0], "a child spawned into a group that is shutting down never runs");
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    @Test
    void aChildSpawnedAfterAFailureStartsCancelled() {
        VirtualClock.install(loop);
        boolean[] lateRan = {false};
        run(() -> {
            Task<?>[] late = new Task<?>[1];
            assertThrows(ChildFailedException.class, () -> {
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn(() -> {
                        throw boom;
                    });
                    Async.sleep(ofSeconds(1)); // the failure is seen meanwhile
                    late[0] = group.spawn(() -> lateRan[0] = true);
                }
            });
            assertTrue(late[0].isCancelled());
            return null;
        });
        assertFalse(lateRan[0]);
    }

    @Test
    void aCancelledChildIsNotAFailure() {
        List<Object> seen = run(() -> {
            Task<String> cancelled;
            Task<String> finished;
            try (TaskGroup group = TaskGroup.open()) {
                cancelled = group.spawn(() -> Async.await(loop.<String>createFuture()));
                finished = group.spawn(() -> "done");
                Async.sleep(Duration.ZERO);
                cancelled.cancel();
            }
            return List.of(cancelled.isCancelled(), finished.result());
        });
        assertEquals(List.of(true, "done"), seen);
    }

    @Test
    void childrenCanSpawnSiblingsWhileCloseWaits() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn(() -> {
                    Async.sleep(ofSeconds(1));
                    group.spawn(() -> {
                        Async.sleep(ofSeconds(1));
                        steps.expect(2);
                        return null;
                    });
                    steps.expect(1);
                    return null;
                });
            }
            steps.expect(3);
            return null;
        });
        steps.finish(4);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    /** Cancellation regression: the parent's CancellationException comes out only once every child has ended. */
    @Test
    void cancellingTheParentWhileCloseWaitsCancelsTheChildrenAwaitsThemAndRethrows() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        Task<?>[] child = new Task<?>[1];
        run(() -> {
            Future<Void> closing = loop.createFuture();
            Task<String> parent = Tasks.spawn(() -> {
                try (TaskGroup group = TaskGroup.open()) {
                    child[0] = group.spawn(() -> {
                        try {
                            Async.sleep(NEVER);
                            return null;
                        } catch (CancellationException e) {
                            steps.expect(3);
                            Tasks.shielded(() -> Async.sleep(ofSeconds(1))); // clean-up that takes time, shielded: the parent waits
                            steps.expect(4);
                            throw e;
                        }
                    });
                    steps.expect(1);
                    closing.setResult(null);
                } // the parent waits here when it is cancelled
                return "not cancelled";
            });
            closing.await();
            steps.expect(2);
            parent.cancel();
            assertThrows(CancellationException.class, parent::await);
            steps.expect(5);
            return null;
        });
        steps.finish(6);
        assertTrue(child[0].isCancelled());
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    @Test
    void cancellingTheParentDuringTheBodyCancelsTheChildrenBeforeItEnds() {
        VirtualClock.install(loop);
        Steps steps = new Steps();
        Task<?>[] child = new Task<?>[1];
        run(() -> {
            Task<String> parent = Tasks.spawn(() -> {
                try (TaskGroup group = TaskGroup.open()) {
                    child[0] = group.spawn(sleeperRecording(steps, 3));
                    steps.expect(1);
                    Async.sleep(NEVER); // cancelled here; close() sees the cancellation outstanding
                }
                return "not cancelled";
            });
            Async.sleep(ofSeconds(1));
            steps.expect(2);
            parent.cancel();
            assertThrows(CancellationException.class, parent::await);
            steps.expect(4);
            return null;
        });
        steps.finish(5);
        assertTrue(child[0].isCancelled());
    }

    @Test
    void aClosedGroupTakesNoChildrenAndClosesAgainQuietly() {
        run(() -> {
            TaskGroup closed;
            try (TaskGroup group = TaskGroup.open()) {
                closed = group;
                group.spawn(() -> "only child");
            }
            InvalidStateException error = assertThrows(InvalidStateException.class, () -> closed.spawn(() -> "late"));
            assertTrue(error.getMessage().contains("closed"), error.getMessage());
            assertDoesNotThrow(closed::close);
            return null;
        });
    }

    @Test
    void aGroupNeedsATaskAndIsClosedByIt() {
        InvalidStateException outside = assertThrows(InvalidStateException.class, TaskGroup::open);
        assertTrue(outside.getMessage().contains("inside a task"), outside.getMessage());
        assertThrows(InvalidStateException.class, () -> TaskGroup.run(group -> null));
        onLoop(() -> assertThrows(InvalidStateException.class, TaskGroup::open));
        run(() -> {
            TaskGroup group = TaskGroup.open();
            Task<Void> other = Tasks.spawn(() -> {
                group.close();
                return null;
            });
            InvalidStateException error = assertThrows(InvalidStateException.class, other::await);
            assertTrue(error.getMessage().contains("in the task that opened it"), error.getMessage());
            group.close();
            return null;
        });
    }
}
