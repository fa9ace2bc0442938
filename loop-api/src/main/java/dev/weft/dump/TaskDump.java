package dev.weft.dump;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every loop's tasks were doing at one moment: see the package comment. Take one with
 * {@link dev.weft.loop.Loops#dump()}.
 *
 * @param pid    the process it was taken in
 * @param takenAt when
 * @param loops  the open loops, by id
 */
public record TaskDump(long pid, Instant takenAt, List<LoopDump> loops) {
    /** The version of the JSON form, its {@code "format"} field; it changes when the schema changes incompatibly. */
    public static final String FORMAT = "weft-task-dump/1";

    /** Checks the fields and copies the list. */
    public TaskDump {
        Objects.requireNonNull(takenAt, "takenAt");
        loops = List.copyOf(loops);
    }

    /** The loop of this id, if it is in the dump. */
    public Optional<LoopDump> loop(int id) {
        return loops.stream().filter(loop -> loop.id() == id).findFirst();
    }

    /**
     * The dump as a tree per loop, as {@code asyncio pstree} draws one: a task under the task that awaits it (or, if
     * none does, the task that spawned it), the children of a task group under the group, the group under the task
     * that opened it; each task with its state, what it awaits, and where.
     */
    public String toText() {
        return TextTree.render(this);
    }

    /** The dump as JSON, in the schema of {@code docs/task-dump.schema.json}. */
    public String toJson() {
        return JsonForm.render(this);
    }

    @Override
    public String toString() {
        return toText();
    }
}
