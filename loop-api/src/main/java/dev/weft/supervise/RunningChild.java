package dev.weft.supervise;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.function.Consumer;

/**
 * One run of a child: its task, whether it has said it started, and how it ended. A restart makes a new one. Confined
 * to the supervisor's loop.
 */
final class RunningChild {
    final ChildSpec spec;
    final Task<Void> task;
    private final Future<Boolean> startedOrEnded; // true once it said it started; false if it ended first
    private Outcome<Void> outcome;
    /**
     * The supervisor has dealt with this run's end, or is stopping it on purpose: an end that comes (or has come and
     * waits in the supervisor's queue) is no crash to handle, and calls for no restart.
     */
    boolean handled;

    private RunningChild(EventLoop loop, String taskName, ChildSpec spec, Consumer<RunningChild> onEnd) {
        this.spec = spec;
        this.startedOrEnded = loop.createFuture();
        this.task = loop.createTask(taskName, () -> spec.body().run(this::markStarted));
        task.addDoneCallback(done -> {
            outcome = task.outcome(); // read here, so a failure never goes unretrieved to the loop's handler
            if (!startedOrEnded.isDone()) {
                startedOrEnded.setResult(false);
            }
            onEnd.accept(this);
        });
    }

    /** Start a run of the child as a task named {@code taskName}; {@code onEnd} is called on the loop when it ends. */
    static RunningChild spawn(EventLoop loop, String taskName, ChildSpec spec, Consumer<RunningChild> onEnd) {
        return new RunningChild(loop, taskName, spec, onEnd);
    }

    private void markStarted() {
        if (!startedOrEnded.isDone()) {
            startedOrEnded.setResult(true);
        }
    }

    /**
     * Wait until the child says it started.
     *
     * @throws ChildStartException if it ended first
     */
    void awaitStarted(String supervisor) {
        if (!startedOrEnded.await()) {
            throw new ChildStartException(supervisor, spec.name(), describeEnd(), failure());
        }
    }

    /**
     * Wait until the child has ended. Each caller waits on a future of its own: a task's cancellation cancels the
     * future it awaits, which must not be one that others wait on too.
     */
    void awaitEnd() {
        if (outcome != null) {
            return;
        }
        Future<Void> ended = task.loop().createFuture();
        task.addDoneCallback(done -> {
            if (!ended.isDone()) {
                ended.setResult(null);
            }
        });
        ended.await();
    }

    /** How it ended; null while it runs. */
    Outcome<Void> outcome() {
        return outcome;
    }

    /** Its failure, or null if it returned, was cancelled, or runs. */
    Throwable failure() {
        return outcome instanceof Outcome.Failure<Void>(Throwable error) ? error : null;
    }

    /** How it ended, in words for a log line or an error: "failed: ...", "returned", "was cancelled (...)". */
    String describeEnd() {
        return switch (outcome) {
            case Outcome.Success<Void> s -> "returned";
            case Outcome.Failure<Void>(Throwable error) -> "failed: " + error;
            case Outcome.Cancelled<Void>(var cause) -> "was cancelled (" + cause.getMessage() + ")";
            case null -> "is running";
        };
    }
}
