package dev.weft.loop;

/**
 * A blocking wait was attempted on a loop thread outside any task. Waiting there would stop the loop that has to
 * complete the awaited future, so it fails at once instead of deadlocking.
 */
public class BlockingOnLoopException extends InvalidStateException {
    /** {@code what} would block; the remedy given is to await inside a task or to add a done-callback. */
    public BlockingOnLoopException(String what) {
        this(what, "await inside a task (Tasks.spawn / EventLoop.createTask) or use Future.addDoneCallback");
    }

    /** {@code what} would block; {@code remedy} says what to do instead. */
    public BlockingOnLoopException(String what, String remedy) {
        super(what + " on the event loop thread outside a task would block the loop forever; " + remedy);
    }
}
