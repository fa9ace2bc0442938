package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Contract 2: a task is a virtual thread carried by its loop, so plain JDK blocking calls inside it park the task and
 * free the loop for others. That holds only in {@link TaskMode#CARRIED}; in {@link TaskMode#BATON} the documented
 * behaviour is the opposite (a blocking call holds the loop), which the last test pins down.
 */
public abstract class BlockingCallSuite extends LoopSuite {

    private void assumeCarried() {
        // Only a loop-carried virtual thread hands the loop thread back when it blocks outside await.
        assumeTrue(taskMode() == TaskMode.CARRIED, "blocking calls park the task only when tasks are carried");
    }

    @Test
    void threadSleepInACarriedTaskParksTheTaskNotTheLoop() {
        assumeCarried();
        Steps steps = new Steps();
        run(() -> {
            Task<?> sleeper = Tasks.spawn(() -> {
                steps.expect(1);
                Thread.sleep(50);
                steps.expect(3);
                assertTrue(loop.inLoop(), "resumed on its loop");
                return null;
            });
            Task<?> other = Tasks.spawn(() -> {
                steps.expect(2);
                return null;
            });
            sleeper.await();
            other.await();
            return null;
        });
        steps.finish(4);
    }

    @Test
    void completableFutureGetInACarriedTaskParksTheTaskNotTheLoop() {
        assumeCarried();
        Steps steps = new Steps();
        String got = run(() -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            Task<String> getter = Tasks.spawn(() -> {
                steps.expect(1);
                String value = stage.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // the loop must complete it
                steps.expect(4);
                return value;
            });
            Tasks.spawn(() -> {
                steps.expect(2);
                stage.complete("completed on the loop");
                steps.expect(3);
                return null;
            });
            return getter.await();
        });
        assertEquals("completed on the loop", got);
        steps.finish(5);
    }

    /** JDK 24 and later park a virtual thread that waits for a monitor instead of pinning its carrier. */
    @Test
    void aContendedMonitorInACarriedTaskParksTheTaskNotTheLoop() {
        assumeCarried();
        Steps steps = new Steps();
        Object lock = new Object();
        CountDownLatch release = new CountDownLatch(1);
        run(() -> {
            CompletableFuture<Void> held = new CompletableFuture<>();
            var holder = onForeignThread(() -> {
                synchronized (lock) {
                    held.complete(null);
                    return release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
            Async.await(held);
            Task<?> blocked = Tasks.spawn(() -> {
                steps.expect(1);
                synchronized (lock) {
                    steps.expect(3);
                }
                return null;
            });
            Tasks.spawn(() -> {
                steps.expect(2);
                release.countDown();
                return null;
            });
            blocked.await();
            assertTrue(Async.await(holder.result()), "the holder was released by the loop");
            return null;
        });
        steps.finish(4);
    }

    /** BATON's documented cost: a task that blocks outside await holds its loop, so no other task runs meanwhile. */
    @Test
    void aBlockingCallInABatonTaskHoldsTheLoop() {
        assumeTrue(taskMode() == TaskMode.BATON, "only baton tasks hold the loop while they block");
        Steps steps = new Steps();
        run(() -> {
            Future<Void> done = loop.createFuture();
            Task<?> sleeper = Tasks.spawn(() -> {
                steps.expect(1);
                Thread.sleep(30);
                steps.expect(2);
                return null;
            });
            Tasks.spawn(() -> {
                steps.expect(3);
                done.setResult(null);
                return null;
            });
            sleeper.await();
            return done.await();
        });
        steps.finish(4);
    }
}
