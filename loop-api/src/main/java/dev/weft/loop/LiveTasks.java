package dev.weft.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * A loop's tasks that have not ended, in the order they were created: a list threaded through the tasks themselves
 * ({@link Task#liveBefore}, {@link Task#liveAfter}), so adding and removing one hashes nothing and allocates nothing. A
 * hash set did both, and with a million tasks its hashing, nodes and resizing were most of what a spawn cost. Confined
 * to the loop, as the tasks are.
 */
final class LiveTasks {
    private Task<?> first;
    private Task<?> last;
    private int size;

    void add(Task<?> task) {
        task.liveBefore = last;
        task.liveAfter = null;
        if (last == null) {
            first = task;
        } else {
            last.liveAfter = task;
        }
        last = task;
        size++;
    }

    /** Take the task off the list; nothing if it is not on it. */
    void remove(Task<?> task) {
        if (task.liveBefore == null && task != first) {
            return; // not on the list: only the first task has no task before it
        }
        if (task.liveBefore == null) {
            first = task.liveAfter;
        } else {
            task.liveBefore.liveAfter = task.liveAfter;
        }
        if (task.liveAfter == null) {
            last = task.liveBefore;
        } else {
            task.liveAfter.liveBefore = task.liveBefore;
        }
        task.liveBefore = null;
        task.liveAfter = null;
        size--;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The tasks now, oldest first: a copy, which the caller may keep while tasks come and go. */
    List<Task<?>> snapshot() {
        List<Task<?>> tasks = new ArrayList<>(size);
        for (Task<?> task = first; task != null; task = task.liveAfter) {
            tasks.add(task);
        }
        return tasks;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
