package dev.weft.dump;

import java.util.List;
import java.util.Objects;

/**
 * One task in a dump. Ids are unique in the process: {@code "<loop id>:<task number>"}, the number counting the
 * loop's tasks from 1 in the order they were created.
 *
 * @param id          the task's id
 * @param name        its name ({@code Task-<number>} if it was given none)
 * @param state       where it is in its life
 * @param parent      the id of the task of the same loop that spawned it, or null (spawned from outside any task,
 *                    or by a task of another loop)
 * @param scope       the id of the scope it was spawned into (a {@code TaskGroup}), or null
 * @param awaits      the id of what it awaits while suspended: a task (of any loop) or a scope it is joining; null
 *                    if it awaits something else (a timer, a channel, I/O) or nothing
 * @param suspendedIn the Weft call it is suspended in, as {@code Channel.receive(Channel.java:215)}, or null
 * @param frames      where it is: the program's frames of its stack, innermost first (Weft's and the JDK's left out),
 *                    at most {@link #MAX_FRAMES}
 */
public record TaskEntry(String id, String name, TaskState state, String parent, String scope, String awaits,
                        Frame suspendedIn, List<Frame> frames) {
    /** How many of the program's frames a dump keeps per task: enough to place it, few enough to read. */
    public static final int MAX_FRAMES = 8;

    /** Checks the required fields and copies the frames. */
    public TaskEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        frames = List.copyOf(frames);
    }
}
