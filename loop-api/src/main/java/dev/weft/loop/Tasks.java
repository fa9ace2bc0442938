package dev.weft.loop;

import java.util.Optional;

/** Spawning tasks on the current loop, as asyncio's {@code create_task}. */
public final class Tasks {
    private Tasks() {
    }

    /** Start the body as a task on the current loop. @throws InvalidStateException if no loop runs here */
    public static <T> Task<T> spawn(Body<T, ?> body) {
        return EventLoop.current().createTask(body);
    }

    /** Start a body without a value as a task on the current loop. */
    public static Task<Void> spawn(VoidBody<?> body) {
        return EventLoop.current().createTask(body);
    }

    /** Start a named task on the current loop. */
    public static <T> Task<T> spawn(String name, Body<T, ?> body) {
        return EventLoop.current().createTask(name, body);
    }

    /** Start a named task without a value on the current loop. */
    public static Task<Void> spawn(String name, VoidBody<?> body) {
        return EventLoop.current().createTask(name, body);
    }

    /**
     * Run the body with the current task's cancellation held back: see {@link Task#shielded}. For clean-up that must
     * await after a cancellation (cancellation is level-triggered: an unshielded await would throw again).
     *
     * @throws E                     what the body throws
     * @throws InvalidStateException outside a task
     */
    public static <T, E extends Exception> T shielded(Body<T, E> body) throws E {
        return currentTask("Tasks.shielded").shielded(body);
    }

    /** {@link #shielded(Body)} for a body without a value. */
    public static <E extends Exception> void shielded(VoidBody<E> body) throws E {
        currentTask("Tasks.shielded").shielded(body);
    }

    /**
     * Throw the current task's CancellationException if it is being cancelled: see {@link Task#checkCancelled()}.
     * Outside a task it does nothing.
     */
    public static void checkCancelled() {
        Task<?> task = Task.currentOrNull();
        if (task != null && task.isCancelRequested()) { // the common case costs one lookup and two volatile reads
            task.checkCancelled();
        }
    }

    /**
     * Whether the current task is being cancelled: a cancellation stands that reaches the code running now. The loop
     * condition of a worker that catches {@code Exception} around its awaits, which would otherwise catch its own
     * cancellation again and again: {@code while (!Tasks.isCancelled()) { try { ... } catch (Exception e) { ... } }}.
     * False outside a task.
     */
    public static boolean isCancelled() {
        Task<?> task = Task.currentOrNull();
        return task != null && task.isCancelRequested();
    }

    private static Task<?> currentTask(String operation) {
        Task<?> task = Task.currentOrNull();
        if (task == null) {
            throw new InvalidStateException(operation + " must be called inside a task: it shields that task's "
                    + "cancellation");
        }
        return task;
    }

    /** The task running on the calling thread, if any. */
    public static Optional<Task<?>> current() {
        return Optional.ofNullable(Task.currentOrNull());
    }
}
