package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Other threads and the loop: they enter through thread-safe submission only, their submissions wake a loop that
 * waits, and the loop still runs one callback or task at a time (contract 1).
 */
public abstract class ThreadingSuite extends LoopSuite {

    /**
     * A foreign thread and the loop play ping-pong; between rounds the loop has nothing to do and goes back to its
     * wait, so every round must wake it. Many rounds cross the window between "about to wait" and "waiting".
     */
    private void pingPong(int rounds) throws Exception {
        var pinger = new CompletableFuture<ForeignThread<Integer>>();
        loop.callSoon(() -> pinger.complete(onForeignThread(() -> {
            Semaphore pong = new Semaphore(0);
            try {
                for (int i = 0; i < rounds; i++) {
                    loop.callSoonThreadsafe(pong::release);
                    if (!pong.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("round " + i + ": the loop did not wake for callSoonThreadsafe");
                    }
                }
                return rounds;
            } finally {
                loop.stop();
            }
        })));
        loop.runForever();
        assertEquals(rounds, pinger.get().result().get());
    }

    @Test
    void callSoonThreadsafeWakesALoopWaitingWithNoTimers() throws Exception {
        pingPong(2_000);
    }

    @Test
    void callSoonThreadsafeWakesALoopWaitingForAFarTimer() throws Exception {
        loop.callLater(NEVER, () -> fail("the far timer ran"));
        pingPong(2_000);
    }

    @Test
    void stopFromAnotherThreadWakesAWaitingLoop() {
        ExecutorService stopper = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 200; i++) {
                loop.callSoon(() -> stopper.execute(loop::stop));
                loop.runForever(); // returns only when the foreign stop() wakes it
                assertFalse(loop.isRunning());
            }
        } finally {
            stopper.shutdownNow();
        }
    }

    @Test
    void submitFromAnotherThreadRunsATaskOnTheLoopAndCancelsIt() throws Exception {
        CompletableFuture<String> cleanedUp = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        var foreign = onForeignThread(() -> {
            List<Object> inside = loop.submit(() -> List.<Object>of(loop.inLoop(), Tasks.current().isPresent()))
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<String> sleeping = loop.submit(() -> {
                try {
                    started.complete(null);
                    Async.sleep(NEVER);
                    return "woke";
                } catch (CancellationException e) {
                    cleanedUp.complete("cancelled");
                    throw e;
                }
            });
            started.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(sleeping.cancel(true));
            return inside;
        });
        run(() -> {
            assertEquals(List.of(true, true), Async.await(foreign.result()));
            return Async.await(cleanedUp);
        });
        assertEquals("cancelled", cleanedUp.getNow(null));
    }

    @Test
    void foreignThreadsAreNotInTheLoopAndHaveNoCurrentLoop() {
        List<Object> seen = run(() -> Async.await(onForeignThread(() -> List.<Object>of(
                loop.inLoop(),
                Tasks.current().isPresent(),
                assertThrows(InvalidStateException.class, EventLoop::current).getClass())).result()));
        assertEquals(List.of(false, false, InvalidStateException.class), seen);
    }

    /**
     * Contract 1: tasks and callbacks never overlap, whoever scheduled them. Each step spins a while inside a
     * critical section that counts how many are inside; two at once would show as a count of 2.
     */
    @Test
    void tasksAndCallbacksRunOneAtATime() {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        Runnable critical = () -> {
            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            for (int spin = 0; spin < 200; spin++) {
                Thread.onSpinWait();
            }
            inside.decrementAndGet();
        };
        run(() -> {
            List<Task<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 50; t++) {
                tasks.add(Tasks.spawn(() -> {
                    for (int step = 0; step < 40; step++) {
                        critical.run();
                        Async.sleep(Duration.ZERO);
                    }
                    return null;
                }));
            }
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                submitters.add(onForeignThread(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        loop.callSoonThreadsafe(critical);
                    }
                    return (Void) null;
                }).result());
            }
            for (Task<?> task : tasks) {
                task.await();
            }
            for (CompletableFuture<Void> submitter : submitters) {
                Async.await(submitter);
            }
            return null;
        });
        assertEquals(1, mostInside.get(), "callbacks or tasks overlapped");
    }

    /**
     * Documented behaviour, not a wish: the JDK gives a virtual thread made without a scheduler its creator's
     * scheduler, so a virtual thread started inside a carried task is carried by the same loop (it runs on the loop
     * thread between callbacks). Work meant to run off the loop goes through {@code runInExecutor}, whose threads
     * Weft builds on the JDK's default scheduler (tested in {@link LifecycleSuite}).
     */
    @Test
    void aVirtualThreadStartedInACarriedTaskIsCarriedByTheLoop() {
        assumeTrue(taskMode() == TaskMode.CARRIED, "only carried tasks have a scheduler to pass on");
        List<String> carriers = run(() -> {
            CompletableFuture<String> child = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> child.complete(carrierOf(Thread.currentThread())));
            String childCarrier = Async.await(child);
            return List.of(carrierOf(Thread.currentThread()), childCarrier);
        });
        assertEquals(carriers.get(0), carriers.get(1), "the child ran on another carrier than its task");
    }

    /** A mounted virtual thread's toString ends with "@" and its carrier's name. */
    private static String carrierOf(Thread virtual) {
        String text = virtual.toString();
        return text.substring(text.lastIndexOf('@') + 1);
    }
}
