package dev.weft.loop;

import java.util.Arrays;

/**
 * The cancellation requests standing against a task, each with the shield depth of the scope that made it (0 for a
 * plain {@code cancel()}): what makes a Timeout inside {@code Tasks.shielded} still fire while a cancellation from
 * outside waits for the shield. Written on the loop; {@link #deepest()} is read by the task's own thread.
 */
final class CancelRequests {
    private int[] depths; // made at the first request: most tasks are never cancelled
    private volatile int count;
    private volatile int deepest = -1; // -1 when none stands

    int count() {
        return count;
    }

    /** The deepest depth a standing request reaches, or -1 if none stands. */
    int deepest() {
        return deepest;
    }

    void add(int depth) {
        if (depths == null) {
            depths = new int[2];
        } else if (count == depths.length) {
            depths = Arrays.copyOf(depths, count * 2);
        }
        depths[count] = depth;
        count++;
        deepest = Math.max(deepest, depth);
    }

    /** Take back the deepest request, if any; returns how many are left. */
    int removeDeepest() {
        if (count == 0) {
            return 0;
        }
        int at = 0;
        for (int i = 1; i < count; i++) {
            if (depths[i] > depths[at]) {
                at = i;
            }
        }
        depths[at] = depths[count - 1];
        count--;
        int max = -1;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, depths[i]);
        }
        deepest = max;
        return count;
    }
}
