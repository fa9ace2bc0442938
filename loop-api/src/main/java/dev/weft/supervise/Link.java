package dev.weft.supervise;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.Objects;

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
 * when nobody else awaits the task: the partner's cancellation message names it instead.
 *
 * <p>The tasks may run on different loops (a loop group's): the cancellation is handed to the partner's loop. Every
 * method is thread-safe.
 */
public final class Link {
    private volatile boolean unlinked;

    private Link() {
    }

    /** Link two tasks both ways: an abnormal end of either cancels the other. */
    public static Link between(Task<?> a, Task<?> b) {
        Link link = oneWay(a, b);
        link.watch(b, a);
        return link;
    }

    /** Link one way: an abnormal end of {@code watched} cancels {@code partner}, and not the reverse. */
    public static Link oneWay(Task<?> watched, Task<?> partner) {
        Link link = new Link();
        link.watch(watched, partner);
        return link;
    }

    private void watch(Task<?> watched, Task<?> partner) {
        Objects.requireNonNull(watched, "watched");
        Objects.requireNonNull(partner, "partner");
        if (watched == partner) {
            throw new IllegalArgumentException("a task cannot be linked to itself: " + watched);
        }
        EventLoop partnerLoop = partner.loop();
        Monitor.onEnd(watched, outcome -> {
            if (unlinked || outcome instanceof Outcome.Success<?>) {
                return;
            }
            String how = outcome instanceof Outcome.Failure<?>(Throwable error) ? "failed: " + error
                    : "was cancelled";
            partner.cancel("linked task '" + watched.name() + "' " + how);
        }, partnerLoop);
    }

    /** Undo the link: an end from now on reaches no partner. */
    public void unlink() {
        unlinked = true;
    }
}
