package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.UnhandledError;
import dev.weft.scope.Futures;
import dev.weft.scope.Timeout;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Futures.shield: a step that finishes even when the task awaiting it is cancelled. */
public abstract class ShieldSuite extends LoopSuite {

    @Test
    void aShieldMirrorsTheInnerFuture() {
        IllegalStateException boom = new IllegalStateException("boom");
        run(() -> {
            Future<String> succeeds = loop.createFuture();
            Future<String> fails = loop.createFuture();
            Future<String> cancelled = loop.createFuture();
            Future<String> shieldedSuccess = Futures.shield(succeeds);
            Future<String> shieldedFailure = Futures.shield(fails);
            Future<String> shieldedCancel = Futures.shield(cancelled);
            succeeds.setResult("value");
            fails.setException(boom);
            cancelled.cancel("inner cancelled");
            assertEquals("value", shieldedSuccess.await());
            assertSame(boom, assertThrows(IllegalStateException.class, shieldedFailure::await));
            CancellationException cause = assertThrows(CancellationException.class, shieldedCancel::await);
            assertEquals("inner cancelled", cause.getMessage());
            assertTrue(shieldedCancel.isCancelled(), "cancelling the inner future cancels the shield");
            assertFalse(fails.isCancelled());
            return null;
        });
    }

    @Test
    void aShieldOfADoneFutureIsThatFuture() {
        run(() -> {
            Future<String> done = loop.createFuture();
            done.setResult("done");
            assertSame(done, Futures.shield(done));
            return null;
        });
    }

    /** Cancellation regression: the caller's cancellation stops at the shield. */
    @Test
    void cancellingTheAwaitingTaskLeavesTheInnerRunning() {
        VirtualClock clock = VirtualClock.install(loop);
        Steps steps = new Steps();
        String saved = run(() -> {
            Task<String> save = Tasks.spawn(() -> {
                Async.sleep(ofSeconds(2));
                steps.expect(3);
                return "saved";
            });
            Task<String> caller = Tasks.spawn(() -> Futures.shield(save).await());
            Async.sleep(ofSeconds(1));
            steps.expect(1);
            caller.cancel();
            assertThrows(CancellationException.class, caller::await);
            steps.expect(2);
            assertFalse(save.isCancelled());
            return save.await();
        });
        steps.finish(4);
        assertEquals("saved", saved);
        assertEquals(ofSeconds(2), clock.elapsed());
    }

    @Test
    void aShieldedStepOutlivesTheTimeoutOfItsCaller() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> seen = run(() -> {
            Future<String> finished = loop.createFuture();
            DeadlineExceededException timedOut = assertThrows(DeadlineExceededException.class,
                    () -> Timeout.after(ofSeconds(1), () -> Futures.shield(() -> {
                        Async.sleep(ofSeconds(3));
                        finished.setResult("written");
                        return "written";
                    }).await()));
            String atTimeout = Duration.ofNanos(loop.time()).toSeconds() + "s";
            return List.of(timedOut.getClass().getSimpleName(), atTimeout, finished.await());
        });
        assertEquals(List.of("DeadlineExceededException", "1s", "written"), seen);
        assertEquals(ofSeconds(3), clock.elapsed());
    }

    /** With nobody awaiting the shield any more, a failure of the inner work still reaches the exception handler. */
    @Test
    void aFailureBehindACancelledShieldIsReportedNotDropped() {
        VirtualClock.install(loop);
        IllegalStateException boom = new IllegalStateException("failed after its caller left");
        run(() -> {
            Future<Void> failed = loop.createFuture();
            Task<String> caller = Tasks.spawn(() -> Futures.<String>shield(() -> {
                Async.sleep(ofSeconds(2));
                failed.setResult(null);
                throw boom;
            }).await());
            Async.sleep(ofSeconds(1));
            caller.cancel();
            assertThrows(CancellationException.class, caller::await);
            failed.await();
            return null;
        });
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), reported.toString());
        assertSame(boom, reported.getFirst().exception());
    }
}
