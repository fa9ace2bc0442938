package dev.weft.supervise;

import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * A running supervisor, after Erlang/OTP: it starts its children in order, restarts them when they end by their
 * {@link Restart} type and its {@link Strategy}, gives up past its restart limit, and stops them in reverse start
 * order. It is a scope: it runs as a task of the loop that started it, and nothing it started outlives it.
 *
 * <pre>{@code
 * SupervisorSpec spec = Supervisor.oneForOne().maxRestarts(5, Duration.ofSeconds(10))
 *         .child("acceptor", this::acceptLoop)
 *         .child("cache", cacheSupervisor);            // a supervisor is a child: trees
 * try (Supervisor sup = spec.start()) {                 // returns once every child has started
 *     sup.await();                                      // until it gives up, or this task is cancelled
 * }                                                     // stops the children, last started first
 * }</pre>
 *
 * <p>The policy is data ({@link SupervisorSpec}) given before the start, as OTP's child specs are;
 * {@link #startChild} adds a child to a running supervisor (OTP's {@code start_child}). A supervisor that gives up
 * throws {@link SupervisorGaveUpException} from {@link #await()}, or else from {@link #close()}; the try block is not
 * interrupted (as a {@code TaskGroup}'s is not), so await it, or run the supervisor in the calling task with
 * {@link SupervisorSpec#run()}.
 *
 * <p>Confined to the loop it was started on; {@link #close()} to the task that started it.
 */
public final class Supervisor implements AutoCloseable {
    private final Task<?> opener;
    private final Supervision supervision;
    private final RunningChild self; // the supervisor's own task, started as a child is
    private boolean failureThrown;

    private Supervisor(Task<?> opener, SupervisorSpec spec) {
        this.opener = opener;
        this.supervision = new Supervision(spec, opener.loop());
        this.self = RunningChild.spawn(opener.loop(), spec.name(), ChildSpec.starting(spec.name(), supervision::run),
                ended -> { });
    }

    /** A one-for-one supervisor's spec: a restart restarts only the child that ended. */
    public static SupervisorSpec oneForOne() {
        return SupervisorSpec.of(Strategy.ONE_FOR_ONE);
    }

    /** A one-for-all supervisor's spec: a restart restarts every child. */
    public static SupervisorSpec oneForAll() {
        return SupervisorSpec.of(Strategy.ONE_FOR_ALL);
    }

    /** A rest-for-one supervisor's spec: a restart restarts the child that ended and those started after it. */
    public static SupervisorSpec restForOne() {
        return SupervisorSpec.of(Strategy.REST_FOR_ONE);
    }

    static Supervisor start(SupervisorSpec spec) {
        Supervisor supervisor = new Supervisor(Supervision.currentTask("SupervisorSpec.start()"), spec);
        try {
            supervisor.self.awaitStarted(spec.name());
        } catch (ChildStartException failed) {
            supervisor.failureThrown = true;
            supervisor.self.task.result(); // throws the supervisor's own failure: the child that failed to start
            throw failed;
        } catch (CancellationException cancelled) {
            supervisor.stop();
            throw cancelled;
        }
        return supervisor;
    }

    /**
     * Add a child, started after the others, and return once it has started.
     *
     * @throws ChildStartException      if it failed to start (it is not kept)
     * @throws IllegalArgumentException if a child of that name runs
     * @throws InvalidStateException    once the supervisor has stopped
     */
    public void startChild(ChildSpec child) {
        supervision.startChild(child);
    }

    /**
     * Wait until the supervisor stops: by giving up, which this throws, or by being closed, which returns (a task
     * other than the one that started it may wait here while that one closes it). It never stops by itself.
     *
     * @throws SupervisorGaveUpException if it gave up
     * @throws CancellationException     if the calling task is cancelled (the supervisor runs on; close it)
     */
    public void await() {
        self.awaitEnd();
        if (self.failure() != null) {
            failureThrown = true;
            self.task.result();
        }
    }

    /** The names of the children running now, in start order. */
    public List<String> children() {
        return supervision.childNames();
    }

    /** How many restarts the supervisor has made. */
    public int restarts() {
        return supervision.restarts();
    }

    /** Whether the supervisor has stopped: closed, or given up. */
    public boolean isStopped() {
        return self.task.isDone();
    }

    /**
     * Stop the children, last started first, each in its shutdown time, and wait until they and the supervisor have
     * ended, even if the calling task is cancelled meanwhile. Idempotent.
     *
     * @throws SupervisorGaveUpException if the supervisor had given up, and {@link #await()} did not throw that yet
     * @throws InvalidStateException     if called from another task than the one that started it
     */
    @Override
    public void close() {
        if (Task.currentOrNull() != opener) {
            throw new InvalidStateException("close the Supervisor in the task that started it, '" + opener.name()
                    + "'");
        }
        stop();
        if (!failureThrown && self.failure() != null) {
            failureThrown = true;
            self.task.result();
        }
    }

    private void stop() {
        self.task.cancel("supervisor '" + self.spec.name() + "' closed");
        Tasks.shielded(self::awaitEnd);
    }

    @Override
    public String toString() {
        return "Supervisor[" + self.spec.name() + (isStopped() ? ", stopped" : ", running " + children()) + "]";
    }
}
