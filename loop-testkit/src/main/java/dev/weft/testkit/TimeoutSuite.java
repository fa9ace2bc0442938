package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.TaskGroup;
import dev.weft.scope.Timeout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Timeout: a deadline cancels the body, and only its own cancellation becomes a DeadlineExceededException. */
public abstract class TimeoutSuite extends LoopSuite {

    private static String sleepForever() {
        Async.sleep(NEVER);
        throw new AssertionError("woke from a sleep of an hour");
    }

    private static int cancelling() {
        return Tasks.current().orElseThrow().cancelling();
    }

    @Test
    void aBodyThatFinishesInTimeReturnsItsValueAndItsDeadlineNoLongerCancels() {
        VirtualClock clock = VirtualClock.install(loop);
        String value = run(() -> {
            String fast = Timeout.after(ofSeconds(2), () -> {
                Async.sleep(ofSeconds(1));
                return "fast";
            });
            Async.sleep(ofSeconds(5)); // past the deadline: a timer left behind would cancel this sleep
            return fast;
        });
        assertEquals("fast", value);
        assertEquals(ofSeconds(6), clock.elapsed());
    }

    @Test
    void aBodyThatRunsPastItsDeadlineEndsWithDeadlineExceededAtTheDeadline() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        DeadlineExceededException error = run(() -> {
            DeadlineExceededException thrown = assertThrows(DeadlineExceededException.class,
                    () -> Timeout.after(ofSeconds(2), () -> {
                        steps.expect(1);
                        try {
                            return sleepForever();
                        } catch (CancellationException e) {
                            steps.expect(2); // the body sees a cancellation, and may clean up
                            throw e;
                        }
                    }));
            assertEquals(0, cancelling(), "the scope took back its cancellation");
            Async.sleep(ofSeconds(1)); // so the task goes on as if never cancelled
            steps.expect(3);
            return thrown;
        });
        steps.finish(4);
        assertEquals(ofSeconds(3), clock.elapsed());
        assertInstanceOf(CancellationException.class, error.getCause());
        assertTrue(error.getMessage().contains("Timeout.after(PT2S)"), error.getMessage());
    }

    @Test
    void orNullReturnsNullOnExpiryAndTheValueInTime() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> values = run(() -> Arrays.asList(
                Timeout.orNull(ofSeconds(1), TimeoutSuite::sleepForever),
                Timeout.orNull(ofSeconds(1), () -> "in time")));
        assertEquals(Arrays.asList(null, "in time"), values);
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    @Test
    void absoluteDeadlinesAreOnTheLoopClock() {
        VirtualClock clock = VirtualClock.install(loop);
        run(() -> {
            long start = loop.time();
            DeadlineExceededException error = assertThrows(DeadlineExceededException.class,
                    () -> Timeout.at(start + ofSeconds(3).toNanos(), TimeoutSuite::sleepForever));
            assertTrue(error.getMessage().contains("Timeout.at("), error.getMessage());
            assertEquals(ofSeconds(3).toNanos(), loop.time() - start);
            assertNull(Timeout.orNullAt(loop.time() + ofSeconds(2).toNanos(), TimeoutSuite::sleepForever));
            assertEquals("early", Timeout.orNullAt(loop.time() + ofSeconds(2).toNanos(), () -> "early"));
            return null;
        });
        assertEquals(ofSeconds(5), clock.elapsed());
    }

    @Test
    void anInnerDeadlineThatExpiresFirstIsReportedByTheInnerScopeOnly() {
        VirtualClock clock = VirtualClock.install(loop);
        String value = run(() -> Timeout.after(ofSeconds(5), () -> {
            String inner;
            try {
                inner = Timeout.after(ofSeconds(1), TimeoutSuite::sleepForever);
            } catch (DeadlineExceededException e) {
                inner = "inner timed out";
            }
            Async.sleep(ofSeconds(1)); // the outer scope is untouched
            return inner;
        }));
        assertEquals("inner timed out", value);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void anOuterDeadlineThatExpiresFirstPassesThroughTheInnerScopeAsACancellation() {
        VirtualClock clock = VirtualClock.install(loop);
        String[] innerLetOut = {null};
        DeadlineExceededException error = run(() -> assertThrows(DeadlineExceededException.class,
                () -> Timeout.after(ofSeconds(1), () -> {
                    try {
                        return Timeout.after(ofSeconds(5), TimeoutSuite::sleepForever);
                    } catch (RuntimeException e) {
                        innerLetOut[0] = e.getClass().getSimpleName();
                        throw e;
                    }
                })));
        assertEquals("CancellationException", innerLetOut[0]);
        assertTrue(error.getMessage().contains("PT1S"), error.getMessage());
        assertEquals(ofSeconds(1), clock.elapsed());
    }

    /** Both timers cancel the task; counting requests lets the inner scope see that one is not its own. */
    @Test
    void whenNestedDeadlinesExpireTogetherTheOuterScopeReports() {
        VirtualClock.install(loop);
        String[] innerLetOut = {null};
        DeadlineExceededException error = run(() -> assertThrows(DeadlineExceededException.class,
                () -> Timeout.at(loop.time() + ofSeconds(2).toNanos(), () -> {
                    try {
                        return Timeout.after(ofSeconds(2), TimeoutSuite::sleepForever);
                    } catch (RuntimeException e) {
                        innerLetOut[0] = e.getClass().getSimpleName();
                        throw e;
                    }
                })));
        assertEquals("CancellationException", innerLetOut[0]);
        assertTrue(error.getMessage().startsWith("Timeout.at("), error.getMessage());
    }

    /** Cancellation regression: a cancellation from outside is never taken for a timeout. */
    @Test
    void aCancellationFromOutsideStaysACancellation() {
        VirtualClock.install(loop);
        run(() -> {
            Task<String> task = Tasks.spawn(() -> Timeout.after(ofSeconds(5), TimeoutSuite::sleepForever));
            Async.sleep(ofSeconds(1));
            task.cancel();
            CancellationException error = assertThrows(CancellationException.class, task::await);
            assertTrue(task.isCancelled());
            return error;
        });
    }

    /** Cancelled from outside at the very instant the deadline passes: the cancellation wins. */
    @Test
    void aCancellationFromOutsideAtTheDeadlineWinsOverTheTimeout() {
        VirtualClock.install(loop);
        run(() -> {
            Task<String> task = Tasks.spawn(() -> {
                Task<?> self = Tasks.current().orElseThrow();
                long deadline = loop.time() + ofSeconds(1).toNanos();
                loop.callAt(deadline, self::cancel); // due first: scheduled before the scope's own timer
                return Timeout.at(deadline, TimeoutSuite::sleepForever);
            });
            assertThrows(CancellationException.class, task::await);
            assertTrue(task.isCancelled());
            return null;
        });
    }

    @Test
    void aDeadlinePassedAtEntryLetsTheBodyRunToItsFirstAwait() {
        VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> {
            Async.sleep(ofSeconds(5));
            assertThrows(DeadlineExceededException.class, () -> Timeout.at(loop.time() - 1, () -> {
                steps.expect(1); // runs: the deadline strikes at the first await
                Future<String> ready = loop.createFuture();
                ready.setResult("ready");
                ready.await(); // even an await that would not suspend
                return fail("the first await did not throw");
            }));
            steps.expect(2);
            assertEquals("no await", Timeout.after(Duration.ZERO, () -> "no await"));
            assertEquals(0, cancelling());
            Async.sleep(ofSeconds(1)); // no cancellation left pending
            steps.expect(3);
            return null;
        });
        steps.finish(4);
    }

    @Test
    void aBodyThatCatchesItsTimeoutEndsNormally() {
        VirtualClock clock = VirtualClock.install(loop);
        String value = run(() -> {
            String fallback = Timeout.after(ofSeconds(1), () -> {
                try {
                    return sleepForever();
                } catch (CancellationException e) {
                    return "fallback";
                }
            });
            assertEquals(0, cancelling());
            Async.sleep(ofSeconds(1));
            return fallback;
        });
        assertEquals("fallback", value);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void failuresOfTheBodyPassThroughAsThemselves() {
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        IOException checked = new IOException("checked");
        run(() -> {
            assertSame(unchecked, assertThrows(IllegalStateException.class, () -> Timeout.after(NEVER, () -> {
                throw unchecked;
            })));
            assertSame(checked, assertThrows(IOException.class, () -> Timeout.after(NEVER, () -> {
                throw checked;
            })), "the body's own checked exception, as itself");
            return null;
        });
    }

    @Test
    void aTimeoutNeedsATask() {
        InvalidStateException error = assertThrows(InvalidStateException.class,
                () -> Timeout.after(ofSeconds(1), () -> "x"));
        assertTrue(error.getMessage().contains("inside a task"), error.getMessage());
        onLoop(() -> assertThrows(InvalidStateException.class, () -> Timeout.orNull(ofSeconds(1), () -> "x")));
    }

    /** A timeout around a TaskGroup: the group cancels its children and waits for them before the timeout reports. */
    @Test
    void aTimeoutAroundATaskGroupEndsItsChildrenFirst() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        run(() -> {
            assertThrows(DeadlineExceededException.class, () -> Timeout.after(ofSeconds(1), () -> {
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn(() -> {
                        try {
                            return sleepForever();
                        } catch (CancellationException e) {
                            steps.expect(2);
                            Tasks.shielded(() -> Async.sleep(ofSeconds(1))); // clean-up that awaits: shielded
                            steps.expect(3);
                            throw e;
                        }
                    });
                    steps.expect(1);
                }
                return null;
            }));
            steps.expect(4);
            return null;
        });
        steps.finish(5);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    /** Inside a timeout, TaskGroup.run still reports a child's failure, not a timeout nor its own cancellation. */
    @Test
    void aChildFailureInsideATimeoutIsNotATimeout() {
        VirtualClock.install(loop);
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable thrown = run(() -> assertThrows(IllegalStateException.class,
                () -> Timeout.after(ofSeconds(5), () -> TaskGroup.run(group -> {
                    group.spawn(() -> {
                        Async.sleep(ofSeconds(1));
                        throw boom;
                    });
                    return sleepForever();
                }))));
        assertSame(boom, thrown);
    }
}
