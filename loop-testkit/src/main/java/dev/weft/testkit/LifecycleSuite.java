package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop's life: run, stop, run again, close; close finishes its tasks and releases its threads. */
public abstract class LifecycleSuite extends LoopSuite {

    @Test
    void closeCancelsPendingTasksAndRunsTheirFinallyBlocks() {
        List<String> cleanedUp = new CopyOnWriteArrayList<>();
        List<Task<?>> left = new ArrayList<>();
        run(() -> {
            Future<Void> started = loop.createFuture();
            left.add(Tasks.spawn(() -> {
                try {
                    started.setResult(null);
                    Async.sleep(NEVER);
                    return "woke";
                } finally {
                    cleanedUp.add("finally");
                }
            }));
            started.await();
            return "main returns, leaving a task behind";
        });
        assertEquals(List.of("finally"), cleanedUp);
        assertTrue(left.getFirst().isCancelled(), "task after close: " + left);
    }

    @Test
    void closeCancelsTasksThatNeverStarted() {
        List<String> ran = new ArrayList<>();
        Task<String> task = loop.createTask(() -> {
            ran.add("body");
            return "ran";
        });
        loop.close();
        assertTrue(task.isCancelled());
        assertEquals(List.of(), ran);
    }

    /** Whoever waits on a task hears of its end, also when close ends it. */
    @Test
    void closeRunsTheDoneCallbacksOfTheTasksItCancels() {
        List<String> heard = new CopyOnWriteArrayList<>();
        run(() -> {
            Future<Void> started = loop.createFuture();
            Task<String> task = sleeperTask(started);
            task.addDoneCallback(t -> heard.add("cancelled " + t.isCancelled()));
            started.await();
            return null;
        });
        assertEquals(List.of("cancelled true"), heard);
    }

    private static Task<String> sleeperTask(Future<Void> started) {
        return Tasks.spawn(() -> {
            started.setResult(null);
            Async.sleep(NEVER);
            return "woke";
        });
    }

    /** A cancelled task may await, shielded, while it cleans up; close runs the loop until it is done. */
    @Test
    void closeLetsCancelledTasksAwaitWhileTheyCleanUp() {
        List<String> cleanedUp = new CopyOnWriteArrayList<>();
        run(() -> {
            Future<Void> started = loop.createFuture();
            Tasks.spawn(() -> {
                try {
                    started.setResult(null);
                    return Async.await(new CompletableFuture<String>());
                } catch (CancellationException e) {
                    Tasks.shielded(() -> Async.sleep(Duration.ofMillis(5))); // clean-up that awaits: shielded
                    cleanedUp.add("cleaned up after awaiting");
                    throw e;
                }
            });
            started.await();
            return null;
        });
        assertEquals(List.of("cleaned up after awaiting"), cleanedUp);
    }

    /**
     * A stop asked while the loop is idle (it stopped on its own first) has no run left to stop: close still runs the
     * tasks it cancels to their end, and what they queue as they end (a transport's last write, say).
     */
    @Test
    void closeAfterAStopAskedWhileIdleStillFinishesItsTasks() {
        List<String> heard = new CopyOnWriteArrayList<>();
        Future<Void> started = loop.createFuture();
        Task<String> task = loop.createTask(() -> {
            try {
                started.setResult(null);
                Async.sleep(NEVER);
                return "woke";
            } finally {
                loop.callSoon(() -> heard.add("queued as it ended"));
            }
        });
        loop.runUntilComplete(started);
        loop.stop(); // from this thread while the loop is idle: a stop for its next run
        loop.close();
        assertTrue(task.isCancelled(), "task after close: " + task);
        assertEquals(List.of("queued as it ended"), heard);
    }

    /** A foreign thread blocked on a task is released when close cancels it. */
    @Test
    void closeReleasesForeignThreadsAwaitingItsTasks() throws Exception {
        Task<String> task = loop.createTask(() -> {
            Async.sleep(NEVER);
            return "woke";
        });
        var awaiter = onForeignThread(() -> assertThrows(CancellationException.class, task::await));
        awaiter.awaitParked();
        loop.close();
        assertInstanceOf(CancellationException.class, awaiter.result().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void closeEndsTheThreadsOfTheLoopAndItsTasks() throws Exception {
        Set<Thread> before = weftPlatformThreads();
        EventLoop own = openLoop();
        List<Thread> used = new CopyOnWriteArrayList<>();
        Loops.run(() -> own, () -> {
            Future<Void> blocking = own.createFuture();
            own.runInExecutor(null, () -> {
                used.add(Thread.currentThread());
                own.callSoonThreadsafe(() -> blocking.setResult(null));
                new CountDownLatch(1).await(); // blocks until close interrupts it
                return null;
            });
            blocking.await();
            Future<Void> started = own.createFuture();
            Tasks.spawn(() -> {
                used.add(Thread.currentThread());
                started.setResult(null);
                Async.sleep(NEVER);
                return null;
            });
            started.await();
            used.add(Thread.currentThread());
            return null;
        });
        Set<Thread> after = weftPlatformThreads();
        after.removeAll(before);
        used.addAll(after);
        for (Thread thread : used) {
            assertTrue(thread.join(PATIENCE), thread + " outlived its closed loop");
        }
    }

    private static Set<Thread> weftPlatformThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("weft")).collect(Collectors.toSet());
    }

    @Test
    void runInExecutorRunsTheCallOffTheLoopAndCompletesOnTheLoop() {
        List<Object> seen = run(() -> {
            Thread task = Thread.currentThread();
            List<Object> offLoop = loop.runInExecutor(null, () -> List.<Object>of(loop.inLoop(),
                    Tasks.current().isPresent(), Thread.currentThread() == task)).await();
            List<Object> result = new ArrayList<>(offLoop);
            result.add(loop.inLoop());
            return result;
        });
        assertEquals(List.of(false, false, false, true), seen);
    }

    /**
     * The call must not take the loop's thread: it spins, without parking, until a loop callback scheduled after it
     * has run. Run on the loop thread, it would spin out its patience instead.
     */
    @Test
    void runInExecutorDoesNotHoldTheLoopWhileTheCallRuns() {
        boolean loopRanMeanwhile = run(() -> {
            AtomicBoolean loopRan = new AtomicBoolean();
            Future<Boolean> call = loop.runInExecutor(null, () -> spinUntil(loopRan));
            loop.callSoon(() -> loopRan.set(true));
            return call.await();
        });
        assertTrue(loopRanMeanwhile, "the loop ran no callback while the blocking call ran");
    }

    @Test
    void runInExecutorUsesTheGivenExecutorAndCarriesFailures() {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "given-executor"));
        try {
            IOException boom = new IOException("blocking call failed");
            run(() -> {
                assertEquals("given-executor",
                        loop.runInExecutor(executor, () -> Thread.currentThread().getName()).await());
                Future<Object> failing = loop.runInExecutor(executor, () -> {
                    throw boom;
                });
                assertSame(boom, assertThrows(CompletionException.class, failing::await).getCause());
                return null;
            });
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void stopFromAnotherThreadStopsRunForeverAndTheLoopCanRunAgain() {
        loop.callSoon(() -> onForeignThread(() -> {
            loop.stop();
            return null;
        }));
        loop.runForever(); // returns only if the foreign stop() reached it
        assertFalse(loop.isRunning());
        String again = loop.runUntilComplete(loop.createTask(() -> "ran again"));
        assertEquals("ran again", again);
    }

    @Test
    void runUntilCompleteReturnsTheResultAndLeavesTheLoopIdle() {
        Task<String> first = loop.createTask(() -> {
            Async.sleep(Duration.ofMillis(1));
            return "first";
        });
        assertEquals("first", loop.runUntilComplete(first));
        assertFalse(loop.isRunning());
        assertEquals("second", loop.runUntilComplete(loop.createTask(() -> "second")));
        assertEquals("first", loop.runUntilComplete(first), "a future done already");
    }
}
