package dev.weft.loop;

/**
 * A blocking wait was attempted on a loop thread outside any task. Waiting there would stop the loop that has to
 * complete the awaited future, so it fails at once instead of deadlocking.
 */
public class BlockingOnLoopException extends InvalidStateException {
    public BlockingOnLoopException(String what) {
        super(what + " on the event loop thread outside a task would block the loop forever; "
                + "await inside a task (Tasks.spawn / EventLoop.createTask) or use Future.addDoneCallback");
    }
}
