package dev.weft.supervise;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.Objects;

/**
 * Watching a task without being tied to it, as Erlang's {@code monitor}: the watcher learns how the task ended, as the
 * sealed {@link Outcome}, and nothing happens to either of them.
 *
 * <pre>{@code
 * switch (Monitor.of(worker).await()) {
 *     case Outcome.Success(var value) -> log("done: " + value);
 *     case Outcome.Failure(var error) -> log("crashed: " + error);
 *     case Outcome.Cancelled(var why) -> log("stopped: " + why.getMessage());
 * }
 * }</pre>
 *
 * <p>The task may run on another loop (a loop group's): the outcome crosses to the watcher's loop. Reading a failure
 * through a monitor retrieves it, so it is not reported to the task's loop as unretrieved.
 */
public final class Monitor {
    private Monitor() {
    }

    /**
     * A future of the current loop that completes with the task's outcome once it has ended (soon, if it has).
     * Cancel the future to stop watching: that takes the monitor off the task, so a long-lived task watched again and
     * again (each wait under a {@code Timeout}, say) keeps nothing of the monitors given up. Call it from a task or
     * callback of a loop.
     *
     * @throws dev.weft.loop.InvalidStateException where no loop runs
     */
    public static <T> Future<Outcome<T>> of(Task<T> task) {
        Objects.requireNonNull(task, "task");
        EventLoop watcher = EventLoop.current();
        Future<Outcome<T>> outcome = watcher.createFuture();
        EndWatch<T> watch = EndWatch.on(task, ended -> {
            if (!outcome.isDone()) {
                outcome.setResult(ended);
            }
        }, watcher);
        outcome.addDoneCallback(done -> {
            if (done.isCancelled()) {
                watch.cancel();
            }
        });
        return outcome;
    }
}
