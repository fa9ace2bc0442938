package dev.weft.supervise;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.function.Consumer;

/**
 * A done-callback on a task, perhaps of another loop, that hands the task's outcome to a target loop, and that can be
 * taken back from any thread. Taken back, it leaves nothing on the task: a long-lived task watched by many short-lived
 * monitors or links holds none of them once they are done with it. Thread-safe.
 */
final class EndWatch<T> {
    private final Task<T> task;
    private final Consumer<Future<T>> callback;
    private volatile boolean cancelled;

    private EndWatch(Task<T> task, Consumer<Outcome<T>> onEnd, EventLoop target) {
        this.task = task;
        EventLoop home = task.loop();
        this.callback = done -> {
            if (cancelled) {
                return;
            }
            Outcome<T> outcome = task.outcome(); // read here: a failure watched is a failure retrieved
            if (target == home) {
                onEnd.accept(outcome);
            } else {
                target.callSoonThreadsafe(() -> onEnd.accept(outcome));
            }
        };
        onHomeLoop(() -> {
            if (!cancelled) {
                task.addDoneCallback(callback);
            }
        });
    }

    /** Call {@code onEnd} on the target loop with the task's outcome once it has ended (soon, if it has). */
    static <T> EndWatch<T> on(Task<T> task, Consumer<Outcome<T>> onEnd, EventLoop target) {
        return new EndWatch<>(task, onEnd, target);
    }

    /** Stop watching: the callback is not called from now on, and is removed from the task. Idempotent. */
    void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        try {
            onHomeLoop(() -> task.removeDoneCallback(callback));
        } catch (LoopClosedException closed) {
            // the task's loop is closed, so the task has ended and holds no callbacks
        }
    }

    /** Callbacks are confined to the task's loop: add and remove them there, in the order asked. */
    private void onHomeLoop(Runnable action) {
        EventLoop home = task.loop();
        if (home.inLoop()) {
            action.run();
        } else {
            home.callSoonThreadsafe(action);
        }
    }
}
