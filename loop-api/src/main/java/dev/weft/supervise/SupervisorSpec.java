package dev.weft.supervise;

import dev.weft.loop.InvalidStateException;
import dev.weft.loop.VoidBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A supervisor's restart policy and children, as data (OTP's supervisor flags and child specs): immutable, each method
 * returns a changed copy, so one spec can start many supervisors, or be a child of another ({@link #child(String,
 * SupervisorSpec)}). Made by {@link Supervisor#oneForOne()}, {@link Supervisor#oneForAll()} or
 * {@link Supervisor#restForOne()}; run by {@link #start()} (a handle, for try-with-resources) or {@link #run()} (in the
 * calling task).
 *
 * <pre>{@code
 * SupervisorSpec tree = Supervisor.oneForOne().named("server").maxRestarts(5, Duration.ofSeconds(10))
 *         .child("acceptor", this::acceptLoop)
 *         .child("cache", Supervisor.restForOne().child("store", store::run).child("warmer", warmer::run));
 * }</pre>
 *
 * @param name        names the supervisor in logs, errors and its children's task names (a subtree takes its child
 *                    name); {@code "supervisor"} unless set
 * @param strategy    which children a restart restarts
 * @param maxRestarts at most this many restarts within {@code period}; one more and the supervisor gives up
 * @param period      the window of the restart limit; 3 restarts in 5 seconds unless set
 * @param backoff     the wait before each restart; none unless set
 * @param children    the children, in start order
 */
public record SupervisorSpec(String name, Strategy strategy, int maxRestarts, Duration period, Backoff backoff,
                             List<ChildSpec> children) {

    /**
     * A supervisor spec of these parts; the children are copied.
     *
     * @throws IllegalArgumentException if maxRestarts is negative, the period not positive, or two children share
     *                                  a name
     */
    public SupervisorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(backoff, "backoff");
        children = List.copyOf(children);
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("supervisor '" + name + "': maxRestarts must be >= 0 (0: give up at the "
                    + "first restart), got " + maxRestarts);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("supervisor '" + name + "': the period of the restart limit must be "
                    + "positive, got " + period);
        }
        Set<String> names = new HashSet<>();
        for (ChildSpec child : children) {
            if (!names.add(child.name())) {
                throw new IllegalArgumentException("supervisor '" + name + "' has two children named '"
                        + child.name() + "': a name tells children apart in logs, errors and restarts; rename one");
            }
        }
    }

    static SupervisorSpec of(Strategy strategy) {
        return new SupervisorSpec("supervisor", strategy, 3, Duration.ofSeconds(5), Backoff.NONE, List.of());
    }

    /** This spec under another name. */
    public SupervisorSpec named(String newName) {
        return new SupervisorSpec(newName, strategy, maxRestarts, period, backoff, children);
    }

    /** This spec with another restart limit: at most {@code restarts} within {@code within}, then give up. */
    public SupervisorSpec maxRestarts(int restarts, Duration within) {
        return new SupervisorSpec(name, strategy, restarts, within, backoff, children);
    }

    /** This spec with a wait before each restart. */
    public SupervisorSpec backoff(Backoff newBackoff) {
        return new SupervisorSpec(name, strategy, maxRestarts, period, newBackoff, children);
    }

    /** This spec with one more child, started after the others. @throws IllegalArgumentException on a taken name */
    public SupervisorSpec child(ChildSpec child) {
        List<ChildSpec> more = new ArrayList<>(children);
        more.add(Objects.requireNonNull(child, "child"));
        return new SupervisorSpec(name, strategy, maxRestarts, period, backoff, more);
    }

    /** {@link #child(ChildSpec)} with {@link ChildSpec#of(String, VoidBody)}: a permanent worker. */
    public SupervisorSpec child(String childName, VoidBody<?> body) {
        return child(ChildSpec.of(childName, body));
    }

    /** {@link #child(ChildSpec)} with {@link ChildSpec#of(String, SupervisorSpec)}: a permanent subtree. */
    public SupervisorSpec child(String childName, SupervisorSpec supervisor) {
        return child(ChildSpec.of(childName, supervisor));
    }

    /**
     * Start the supervisor as a task of the current loop, its children in order, and return once they have all
     * started. Close the handle with try-with-resources: see {@link Supervisor}.
     *
     * @throws ChildStartException   if a child failed to start (those started are stopped first)
     * @throws InvalidStateException outside a task
     */
    public Supervisor start() {
        return Supervisor.start(this);
    }

    /**
     * Run the supervisor in the calling task: start the children in order, restart them by this policy, and stop
     * them all (in reverse start order) when the task is cancelled or the supervisor gives up. It never returns
     * normally: a supervisor runs until it is stopped.
     *
     * @throws java.util.concurrent.CancellationException when the task is cancelled, once the children have stopped
     * @throws SupervisorGaveUpException                  past the restart limit, once the children have stopped
     * @throws ChildStartException                        if a child failed to start
     * @throws InvalidStateException                      outside a task
     */
    public void run() {
        run(() -> { });
    }

    /**
     * {@link #run()}, saying when every child has started: for a {@link ChildSpec#starting} body that wraps a subtree
     * (to report when it gives up, say). {@link ChildSpec#of(String, SupervisorSpec)} is this without a wrapper.
     */
    public void run(StartSignal start) {
        new Supervision(this, Supervision.currentTask("SupervisorSpec.run()").loop()).run(start);
    }
}
