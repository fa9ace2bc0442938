package dev.weft.loop;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Straight-line await for code running in tasks: the Java spelling of asyncio's {@code await} and {@code sleep}. */
public final class Async {
    private Async() {
    }

    /** Await a future: see {@link Future#await()}. */
    public static <T> T await(Future<T> future) {
        return future.await();
    }

    /**
     * Await any CompletionStage (a CompletableFuture, say): inside a task this suspends the task until the stage
     * completes, and cancelling the task cancels the stage if it is a Future; from a thread that runs no loop it
     * blocks; on a loop thread outside a task it fails at once.
     */
    public static <T> T await(CompletionStage<T> stage) {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return task.owner.wrap(stage).await();
        }
        if (AbstractEventLoop.onLoopThread()) {
            throw new BlockingOnLoopException("await()");
        }
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.join();
        } catch (CompletionException e) {
            throw Future.propagate(Future.unwrap(e));
        }
    }

    /**
     * Suspend the current task for the duration; never wakes early. Outside a task on a thread that runs no loop
     * it sleeps that thread; on a loop thread outside a task it fails at once.
     *
     * @throws CancellationException if the task is cancelled meanwhile
     */
    public static void sleep(Duration duration) {
        Task<?> task = Task.currentOrNull();
        if (task == null) {
            if (AbstractEventLoop.onLoopThread()) {
                throw new BlockingOnLoopException("Async.sleep()");
            }
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while sleeping");
            }
            return;
        }
        WakeUp wakeUp = new WakeUp(task.owner);
        TimerHandle timer = task.owner.callLater(duration, wakeUp);
        try {
            wakeUp.await();
        } finally {
            timer.cancel();
        }
    }

    /** A sleep's future, which its timer completes: one object for both, as a million sleepers hold a million. */
    private static final class WakeUp extends Future<Void> implements Runnable {
        WakeUp(AbstractEventLoop loop) {
            super(loop);
        }

        @Override
        public void run() {
            if (!isDone()) {
                setResult(null);
            }
        }
    }

    /** The loop the caller runs on. @throws InvalidStateException if none */
    public static EventLoop loop() {
        return EventLoop.current();
    }
}
