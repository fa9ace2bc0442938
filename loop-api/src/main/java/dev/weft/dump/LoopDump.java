package dev.weft.dump;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One loop in a dump, with its live tasks (oldest first) and the scopes they were spawned into.
 *
 * @param id         the loop's id in the process (as in its {@code toString}, {@code NioEventLoop#3})
 * @param backend    its backend: nio, epoll, iouring, vthreads
 * @param taskMode   carried or baton
 * @param running    whether a thread is running it
 * @param consistent false when the loop did not answer in time (it is blocked: see the task shown running) and its
 *                   tasks were read from another thread while they changed; then an entry may be stale
 * @param tasks      its tasks that had not ended
 * @param scopes     the scopes those tasks were spawned into
 */
public record LoopDump(int id, String backend, String taskMode, boolean running, boolean consistent,
                       List<TaskEntry> tasks, List<ScopeEntry> scopes) {
    /** Checks the fields and copies the lists. */
    public LoopDump {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(taskMode, "taskMode");
        tasks = List.copyOf(tasks);
        scopes = List.copyOf(scopes);
    }

    /** The task of this name, if there is one (the oldest, if several). */
    public Optional<TaskEntry> task(String name) {
        return tasks.stream().filter(task -> task.name().equals(name)).findFirst();
    }
}
