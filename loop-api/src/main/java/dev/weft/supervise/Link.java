package dev.weft.supervise;

import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Two tasks that stand or fall together, as Erlang's {@code link}: when one ends abnormally — it fails, or is
 * cancelled — the other is cancelled (Erlang's exit signal), with a message naming the one that ended and how. A task
 * that returns normally takes its partner with it to nothing.
 *
 * <p><b>Trapping exits.</b> An Erlang process that traps exits receives its partner's end as a message instead of
 * dying. Here a task that wants that does not link from its side: {@link #oneWay(Task, Task) Link.oneWay(self,
 * partner)} (its own end still stops the partner) and {@link Monitor#of(Task) Monitor.of(partner)} (the partner's
 * end arrives as an {@link Outcome}).
 *
 * <p>A link reads how the task ended, its failure included, so that failure is not reported to its loop as unretrieved
 * when nobody else awaits the task: the partner's cancellation message names it instead. Once either task has ended
 * the link has done its work, and it takes itself off both tasks, so a long-lived task linked to many short-lived
 * ones keeps nothing of them.
 *
 * <p>The tasks may run on different loops (a loop group's): the cancellation is handed to the partner's loop. Every
 * method is thread-safe.
 */
public final class Link {
    private final List<EndWatch<?>> watches = new CopyOnWriteArrayList<>();
    private volatile boolean unlinked;

    private Link(Task<?> first, Task<?> second, boolean bothWays) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first == second) {
            throw new IllegalArgumentException("a task cannot be linked to itself: " + first);
        }
        watches.add(EndWatch.on(first, outcome -> ended(first, outcome, second), second.loop()));
        watches.add(EndWatch.on(second, outcome -> {
            if (bothWays) {
                ended(second, outcome, first);
            } else {
                unlink(); // the partner has ended: nothing is left to cancel
            }
        }, first.loop()));
        if (unlinked) {
            unlink(); // one of them had ended before both watches were in the list
        }
    }

    /** Link two tasks both ways: an abnormal end of either cancels the other. */
    public static Link between(Task<?> a, Task<?> b) {
        return new Link(a, b, true);
    }

    /** Link one way: an abnormal end of {@code watched} cancels {@code partner}, and not the reverse. */
    public static Link oneWay(Task<?> watched, Task<?> partner) {
        return new Link(watched, partner, false);
    }

    /** The first end of either task is the link's last act: it cancels the partner if abnormal, and undoes the link. */
    private void ended(Task<?> task, Outcome<?> outcome, Task<?> partner) {
        if (unlinked) {
            return;
        }
        unlink();
        if (!(outcome instanceof Outcome.Success<?>)) {
            String how = outcome instanceof Outcome.Failure<?>(Throwable error) ? "failed: " + error : "was cancelled";
            partner.cancel("linked task '" + task.name() + "' " + how);
        }
    }

    /**
     * Undo the link: an end from now on reaches no partner, and the link leaves nothing on either task. A link undoes
     * itself once either task has ended.
     */
    public void unlink() {
        unlinked = true;
        for (EndWatch<?> watch : watches) {
            watch.cancel();
        }
    }
}
