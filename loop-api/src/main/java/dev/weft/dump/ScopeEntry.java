package dev.weft.dump;

import java.util.Objects;

/**
 * A scope in a dump: a {@code TaskGroup}, say, shown as the parent of the tasks spawned into it.
 *
 * @param id      unique in the dump: {@code "<loop id>:s<n>"}
 * @param kind    what it is, as {@code "TaskGroup"}
 * @param owner   the id of the task that opened it, or null if none did (a library's scope opened outside any task)
 * @param joining whether its owner is awaiting its children now (in {@code close()})
 * @param detail  its state in words, as its {@code toString} gives it
 */
public record ScopeEntry(String id, String kind, String owner, boolean joining, String detail) {
    /** Checks the fields. */
    public ScopeEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
