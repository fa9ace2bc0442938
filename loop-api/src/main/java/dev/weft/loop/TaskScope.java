package dev.weft.loop;

/**
 * A scope that tasks are spawned into, as a task dump shows it: the parent of its tasks, under the task that opened
 * it. The hook behind {@code dev.weft.scope.TaskGroup}; a library's own scope implements it and calls
 * {@link Task#spawnedInto} on each task it starts.
 */
public interface TaskScope {
    /** What it is, as {@code "TaskGroup"}. */
    String scopeKind();

    /** The task that opened it, or null if it was opened outside any task (the dump then draws it at the root). */
    Task<?> scopeOwner();

    /** Whether its owner is awaiting its tasks now (in {@code close()}, say). */
    boolean isJoining();
}
