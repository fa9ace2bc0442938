package dev.weft.supervise;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.TimerHandle;
import dev.weft.scope.CancellationGrace;
import dev.weft.scope.Timeout;
import dev.weft.sync.AsyncQueue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One running supervisor: the loop of its task, which waits for a child to end and decides, by the spec, whether and
 * what to restart. Everything runs on the supervisor's loop; its task is the only one that waits here, apart from
 * {@link #startChild} (called by the task that holds the {@link Supervisor} handle).
 */
final class Supervision {
    private static final System.Logger LOG = System.getLogger("dev.weft.supervise");

    private final SupervisorSpec spec;
    private final EventLoop loop;
    private final Intensity intensity;
    private final List<RunningChild> children = new ArrayList<>(); // in start order; runs that ended leave it
    private final AsyncQueue<RunningChild> ended = AsyncQueue.fifo(0);
    private int restarts;
    private boolean stopped;

    Supervision(SupervisorSpec spec, EventLoop loop) {
        this.spec = spec;
        this.loop = loop;
        this.intensity = new Intensity(spec.maxRestarts(), spec.period().toNanos());
    }

    /**
     * The task that calls: the one a supervisor runs in, or belongs to.
     *
     * @throws InvalidStateException outside a task, naming the operation
     */
    static Task<?> currentTask(String operation) {
        Task<?> task = Task.currentOrNull();
        if (task == null) {
            throw new InvalidStateException(operation + " must be called inside a task, because a supervisor runs "
                    + "as a task and belongs to the task that starts it; start one with Loops.run(...) or "
                    + "Tasks.spawn(...)");
        }
        return task;
    }

    /** The supervisor's body: see {@link SupervisorSpec#run()}. In its task. */
    void run(StartSignal start) {
        try {
            for (ChildSpec child : spec.children()) {
                startNew(child);
            }
            start.started();
            while (true) {
                RunningChild child = ended.get();
                if (!child.handled && children.contains(child)) {
                    onEnded(child);
                }
            }
        } finally {
            stopped = true;
            Tasks.shielded(this::stopAll); // cancellation is level-triggered: the stop must wait all the same
        }
    }

    /** Start one more child, after the others, and wait until it has started. */
    void startChild(ChildSpec child) {
        if (stopped) {
            throw new InvalidStateException("supervisor '" + spec.name() + "' has stopped and takes no more children");
        }
        if (children.stream().anyMatch(c -> c.spec.name().equals(child.name()))) {
            throw new IllegalArgumentException("supervisor '" + spec.name() + "' already has a child named '"
                    + child.name() + "'; give this one another name");
        }
        startNew(child);
    }

    private void startNew(ChildSpec child) {
        RunningChild run = spawn(child);
        children.add(run);
        try {
            run.awaitStarted(spec.name());
        } catch (ChildStartException failed) {
            run.handled = true;
            children.remove(run);
            throw failed;
        }
    }

    private RunningChild spawn(ChildSpec child) {
        return RunningChild.spawn(loop, spec.name() + "/" + child.name(), child, ended::putNow);
    }

    /** A child ended by itself: restart it, and the siblings the strategy says, if its restart type says so. */
    private void onEnded(RunningChild child) {
        child.handled = true;
        if (!child.spec.restart().restarts(child.failure() != null)) {
            if (child.spec.restart() == Restart.TEMPORARY || spec.strategy() == Strategy.ONE_FOR_ONE) {
                children.remove(child);
            } // else it keeps its place, and a sibling's restart starts it again (OTP's rule)
            log(child, "; " + child.spec.restart().name().toLowerCase(Locale.ROOT) + ", so not restarted");
            return;
        }
        List<RunningChild> affected = switch (spec.strategy()) {
            case ONE_FOR_ONE -> List.of(child);
            case ONE_FOR_ALL -> List.copyOf(children);
            case REST_FOR_ONE -> List.copyOf(children.subList(children.indexOf(child), children.size()));
        };
        Duration backoff = countRestart(child.spec.name(), child.describeEnd(), child.failure());
        String why = "to restart '" + child.spec.name() + "' (" + spec.strategy().name().toLowerCase(Locale.ROOT)
                .replace('_', '-') + ")";
        for (RunningChild sibling : affected.reversed()) {
            stop(sibling, why);
        }
        pause(backoff);
        for (RunningChild old : affected) {
            if (old != child && old.spec.restart() == Restart.TEMPORARY) {
                children.remove(old); // never restarted, not even with its siblings
            } else {
                restart(old);
            }
        }
    }

    /** Start a new run in the old one's place; a run that fails to start counts as one more restart. */
    private void restart(RunningChild old) {
        RunningChild previous = old;
        while (true) {
            RunningChild run = spawn(old.spec);
            children.set(children.indexOf(previous), run);
            try {
                run.awaitStarted(spec.name());
                return;
            } catch (ChildStartException failed) {
                run.handled = true; // its end is handled here, not by the loop in run()
                previous = run;
                pause(countRestart(old.spec.name(), "failed to start (" + run.describeEnd() + ")", failed));
            }
        }
    }

    /**
     * Count a restart of the child and log its end, once; returns the backoff to wait before the restart.
     *
     * @throws SupervisorGaveUpException past the restart limit
     */
    private Duration countRestart(String child, String howItEnded, Throwable cause) {
        if (!intensity.allow(child, loop.time())) {
            log(child, howItEnded, cause, "; that is more restarts than " + spec.maxRestarts() + " in "
                    + spec.period() + ": giving up");
            throw new SupervisorGaveUpException(spec.name(), child, howItEnded, spec.maxRestarts(), spec.period(),
                    cause);
        }
        restarts++;
        Duration delay = spec.backoff().delay(intensity.recentRestartsOf(child) - 1);
        log(child, howItEnded, cause, "; restarting it" + (delay.isZero() ? "" : " in " + delay) + " (restart "
                + restarts + ")");
        return delay;
    }

    private static void pause(Duration backoff) {
        if (!backoff.isZero()) {
            Async.sleep(backoff);
        }
    }

    private void log(RunningChild child, String what) {
        log(child.spec.name(), child.describeEnd(), child.failure(), what);
    }

    /**
     * One record per end of a child: WARNING with the stack for a failure, INFO for a return or a cancellation. A
     * subtree that gave up has logged the crash that made it, with its stack, so its parent's record names it without
     * the stack again: a crash deep in a tree is printed once, not once per level.
     */
    private void log(String child, String howItEnded, Throwable cause, String what) {
        Level level = cause != null ? Level.WARNING : Level.INFO;
        if (LOG.isLoggable(level)) { // a restart storm with INFO off builds no text
            LOG.log(level, "weft: supervisor '" + spec.name() + "': child '" + child + "' " + howItEnded + what,
                    cause instanceof SupervisorGaveUpException ? null : cause);
        }
    }

    /** Stop every child, last started first, each in its shutdown time. Shielded, in the supervisor's task. */
    private void stopAll() {
        for (RunningChild child : List.copyOf(children).reversed()) {
            stop(child, "to shut down");
        }
        children.clear();
    }

    /**
     * Stop one child and wait until it has ended: cancel it (the polite stop), and if it has not ended after its
     * shutdown time, cancel it through its shields, and warn if even that does not end it (it is waited for all the
     * same). A crash the supervisor has not handled yet (it came while the supervisor was busy) and a failure while
     * stopping are logged here, since no restart will log them.
     */
    private void stop(RunningChild child, String why) {
        boolean endNotHandled = !child.handled;
        child.handled = true;
        if (child.task.isDone()) {
            if (endNotHandled) {
                log(child, "; the supervisor was stopping it " + why);
            }
            return;
        }
        Duration limit = child.spec.shutdown();
        String who = "supervisor '" + spec.name() + "' stops child '" + child.spec.name() + "'";
        TimerHandle grace = null;
        if (limit.isZero()) {
            grace = kill(child, who + " at once (its shutdown time is zero)");
        } else {
            child.task.cancel(who);
            if (limit.compareTo(ChildSpec.NO_LIMIT) < 0 && Timeout.orNull(limit, () -> awaitEnd(child)) == null) {
                grace = kill(child, who + ", which did not stop within " + limit + "; it is cancelled through its "
                        + "shields");
            }
        }
        try {
            child.awaitEnd();
        } finally {
            if (grace != null) {
                grace.cancel();
            }
        }
        if (child.failure() != null) {
            log(child, "; the supervisor was stopping it " + why);
        }
    }

    private static Boolean awaitEnd(RunningChild child) {
        child.awaitEnd();
        return true;
    }

    /**
     * Cancel through every shield: OTP's kill. A body that catches the exception still runs on (that is its bug):
     * after the grace period it is named in a WARNING, as a {@code TaskGroup} names a child that ignores its stop.
     */
    private TimerHandle kill(RunningChild child, String reason) {
        child.task.cancelAtDepth(reason, Integer.MAX_VALUE);
        return CancellationGrace.watch(loop, List.of(child.task), "supervisor '" + spec.name() + "'");
    }

    int restarts() {
        return restarts;
    }

    List<String> childNames() {
        return children.stream().filter(c -> !c.task.isDone()).map(c -> c.spec.name()).toList();
    }
}
