package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.VoidBody;
import dev.weft.scope.Timeout;
import dev.weft.supervise.Link;
import dev.weft.supervise.Monitor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Monitors and links ({@code dev.weft.supervise}): a monitor gets the sealed outcome, a link cancels the partner of a
 * task that ends abnormally, on one loop and across the loops of a group; and a monitor given up, a link undone or a
 * link whose task has ended leaves nothing on the task it watched.
 */
public abstract class MonitorLinkSuite extends LoopSuite {

    @Test
    void aMonitorGetsTheOutcomeOfSuccessFailureAndCancellation() {
        run(() -> {
            Task<String> ok = Tasks.spawn(() -> "value");
            IllegalStateException boom = new IllegalStateException("boom");
            Task<String> failing = Tasks.spawn(() -> {
                if (boom != null) {
                    throw boom;
                }
                return "never";
            });
            Task<String> cancelled = Tasks.spawn(() -> {
                Async.sleep(NEVER);
                return "never";
            });
            var okOutcome = Monitor.of(ok);
            var failedOutcome = Monitor.of(failing);
            var cancelledOutcome = Monitor.of(cancelled);
            cancelled.cancel("stop it");
            assertEquals(new Outcome.Success<>("value"), okOutcome.await());
            assertSame(boom, assertInstanceOf(Outcome.Failure.class, failedOutcome.await()).error());
            assertEquals("stop it",
                    assertInstanceOf(Outcome.Cancelled.class, cancelledOutcome.await()).cause().getMessage());
            assertEquals(new Outcome.Success<>("value"), Monitor.of(ok).await(), "a task that has ended already");
            return null;
        });
    }

    @Test
    void aLinkCancelsThePartnerOfATaskThatFailsButNotOfOneThatReturns() {
        run(() -> {
            Task<Void> partner = Tasks.spawn("partner", () -> Async.sleep(NEVER));
            Task<Void> failing = Tasks.spawn("failing", () -> {
                Async.sleep(Duration.ofMillis(1));
                throw new IllegalStateException("boom");
            });
            Link.between(failing, partner);
            var ended = Monitor.of(partner).await();
            String why = assertInstanceOf(Outcome.Cancelled.class, ended).cause().getMessage();
            assertTrue(why.contains("linked task 'failing' failed: java.lang.IllegalStateException: boom"), why);

            Task<Void> survivor = Tasks.spawn("survivor", () -> Async.sleep(NEVER));
            Task<String> returning = Tasks.spawn(() -> "done");
            Link.between(returning, survivor);
            Task<Void> unlinked = Tasks.spawn("unlinked", () -> Async.sleep(NEVER));
            Task<Void> failingToo = Tasks.spawn("failingToo", (VoidBody<RuntimeException>) () -> {
                throw new IllegalStateException("ignored");
            });
            Link.oneWay(failingToo, unlinked).unlink();
            // the links' callbacks were added before the monitors', so they have run when the monitors answer
            Monitor.of(returning).await();
            Monitor.of(failingToo).await();
            assertFalse(survivor.isDone());
            assertFalse(unlinked.isDone());
            survivor.cancel();
            unlinked.cancel();
            return null;
        });
    }

    @Test
    void monitorsAndLinksReachTasksOfAnotherLoop() throws Exception {
        try (LoopGroup group = LoopGroup.open(1, this::openLoop)) {
            EventLoop other = group.loops().getFirst();
            run(() -> {
                Task<Void> remote = Async.await(other.submit(() -> Tasks.spawn("remote", () -> {
                    Async.sleep(Duration.ofMillis(20));
                    throw new IllegalStateException("remote crash");
                })));
                Task<Void> local = Tasks.spawn("local", () -> Async.sleep(NEVER));
                Link.between(remote, local);
                var remoteOutcome = Monitor.of(remote).await();
                assertEquals("remote crash",
                        assertInstanceOf(Outcome.Failure.class, remoteOutcome).error().getMessage());
                assertInstanceOf(Outcome.Cancelled.class, Monitor.of(local).await());
                return null;
            });
        }
    }

    // ---- nothing left behind on a long-lived task

    /**
     * A watcher that waits for a long-lived task under a timeout, again and again, gives up each monitor: the task
     * must not keep them (and what they reference) until it ends, here or on another loop.
     */
    @Test
    void aMonitorGivenUpLeavesNothingOnTheTaskItWatched() throws Exception {
        try (LoopGroup group = LoopGroup.open(1, this::openLoop)) {
            EventLoop other = group.loops().getFirst();
            run(() -> {
                Task<Void> local = Tasks.spawn("server", () -> Async.sleep(NEVER));
                Task<Void> remote = Async.await(other.submit(() -> Tasks.spawn("remote", () -> Async.sleep(NEVER))));
                assertTrue(collected(monitorGivenUpByATimeout(local), other), "a monitor of a task of this loop");
                assertTrue(collected(givenUpMonitor(remote), other), "a monitor given up on a task of another loop");
                local.cancel();
                Async.await(other.submit(() -> {
                    remote.cancel();
                }));
                return null;
            });
        }
    }

    /** A link between a long-lived task and short-lived ones is done once the short-lived one ends, or is unlinked. */
    @Test
    void aLinkWhoseTaskEndedOrThatIsUndoneLeavesNothingOnTheOther() throws Exception {
        try (LoopGroup group = LoopGroup.open(1, this::openLoop)) {
            EventLoop other = group.loops().getFirst();
            run(() -> {
                Task<Void> server = Tasks.spawn("server", () -> Async.sleep(NEVER));
                Task<Void> remote = Async.await(other.submit(() -> Tasks.spawn("remote", () -> Async.sleep(NEVER))));
                assertTrue(collected(linkToAHandlerThatReturned(server), other), "a handler that returned");
                assertTrue(collected(linkToAHandlerThatReturned(remote), other), "across loops");
                assertTrue(collected(unlinked(server, remote), other), "unlinked");
                assertFalse(server.isDone());
                server.cancel();
                Async.await(other.submit(() -> {
                    remote.cancel();
                }));
                return null;
            });
        }
    }

    private static WeakReference<Future<?>> monitorGivenUpByATimeout(Task<?> task) {
        Future<?>[] monitor = {null};
        assertNull(Timeout.orNull(Duration.ofMillis(1), () -> {
            monitor[0] = Monitor.of(task);
            return monitor[0].await(); // the timeout cancels the task, and so the future it awaits
        }));
        assertTrue(monitor[0].isCancelled());
        return new WeakReference<>(monitor[0]);
    }

    private static WeakReference<Future<?>> givenUpMonitor(Task<?> task) {
        Future<?> monitor = Monitor.of(task);
        monitor.cancel();
        return new WeakReference<>(monitor);
    }

    private static WeakReference<Link> linkToAHandlerThatReturned(Task<?> server) {
        Task<String> handler = Tasks.spawn("handler", () -> "served");
        Link link = Link.between(server, handler);
        handler.await();
        return new WeakReference<>(link);
    }

    private static WeakReference<Link> unlinked(Task<?> a, Task<?> b) {
        Link link = Link.between(a, b);
        link.unlink();
        return new WeakReference<>(link);
    }

    /** Whether the object is garbage once both loops have run what was queued: nothing the tasks hold keeps it. */
    private static boolean collected(WeakReference<?> reference, EventLoop other) {
        for (int round = 0; round < 10 && reference.get() != null; round++) {
            Async.sleep(Duration.ZERO);
            Async.await(other.submit(() -> null));
            System.gc();
        }
        return reference.get() == null;
    }
}
