package dev.weft.dump;

import java.util.Locale;

/** Where a task is in its life, as {@link dev.weft.loop.Task}'s state table names it. */
public enum TaskState {
    /** Started or woken, waiting for its loop to run its next step. */
    SCHEDULED,
    /** Running on its loop now: the task that took the dump, or one holding a blocked loop. */
    RUNNING,
    /** Parked, the loop free: in an await, or in a blocking JDK call that suspends a carried task. */
    SUSPENDED,
    /** Ended: seen only when it ended while the dump was being taken. */
    DONE;

    /** The name in the dump: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
