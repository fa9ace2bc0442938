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

    /** The task running on the calling thread, if any. */
    public static Optional<Task<?>> current() {
        return Optional.ofNullable(Task.currentOrNull());
    }
}
