package dev.weft.supervise;

import dev.weft.loop.VoidBody;

import java.time.Duration;
import java.util.Objects;

/**
 * What a supervisor needs to know of one child, as data, as OTP's child specification: its name, its body, when it is
 * restarted ({@link Restart}, permanent by default), and how long it is given to stop.
 *
 * <pre>{@code
 * ChildSpec.of("reporter", this::report).restart(Restart.TRANSIENT).shutdown(Duration.ofSeconds(2))
 * }</pre>
 *
 * <p><b>Stopping.</b> The supervisor stops a child by cancelling it: the polite stop, which its {@code finally}
 * blocks and shielded clean-up ({@code Tasks.shielded}) see. If it has not ended after its shutdown time, the
 * supervisor cancels it again through every shield (OTP's kill): its clean-up is cut short at its next await. Zero
 * means that at once; {@link #NO_LIMIT} never, which is the default for a supervisor child, whose own children have
 * their own times. A body that swallows even that is waited for (Java has no kill), and named in a WARNING after the
 * grace period ({@code -Dweft.cancel.grace}).
 *
 * @param name     unique among the supervisor's children; names the child in logs and errors, and its task
 *                 ({@code supervisor/child})
 * @param body     what the child runs
 * @param restart  when it is restarted
 * @param shutdown how long the polite stop may take
 */
public record ChildSpec(String name, ChildBody body, Restart restart, Duration shutdown) {
    /** The shutdown time of a worker unless set: OTP's 5 seconds. */
    public static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(5);
    /** A shutdown time that never runs out. */
    public static final Duration NO_LIMIT = Duration.ofSeconds(Long.MAX_VALUE);

    /**
     * A child spec of these parts.
     *
     * @throws IllegalArgumentException if the name is blank or the shutdown time negative
     */
    public ChildSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(shutdown, "shutdown");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a child needs a name, for logs and errors");
        }
        if (shutdown.isNegative()) {
            throw new IllegalArgumentException("child '" + name + "': a shutdown time cannot be negative, got "
                    + shutdown + "; use Duration.ZERO to cancel it through its shields at once");
        }
    }

    /** A permanent child whose body has started as soon as it runs. */
    public static ChildSpec of(String name, VoidBody<?> body) {
        Objects.requireNonNull(body, "body");
        return starting(name, start -> {
            start.started();
            body.run();
        });
    }

    /** A permanent child that says when it has started ({@link StartSignal}). */
    public static ChildSpec starting(String name, ChildBody body) {
        return new ChildSpec(name, body, Restart.PERMANENT, DEFAULT_SHUTDOWN);
    }

    /**
     * A permanent child that is a supervisor: a subtree. It has started once all its children have; it fails when it
     * gives up, which its parent sees as a crash of this child; it is stopped by stopping its children, each in its
     * own time, so its shutdown time is {@link #NO_LIMIT}.
     */
    public static ChildSpec of(String name, SupervisorSpec supervisor) {
        Objects.requireNonNull(supervisor, "supervisor");
        SupervisorSpec named = supervisor.named(name);
        return new ChildSpec(name, named::run, Restart.PERMANENT, NO_LIMIT);
    }

    /** This spec with another restart type. */
    public ChildSpec restart(Restart type) {
        return new ChildSpec(name, body, type, shutdown);
    }

    /** This spec with another shutdown time ({@link Duration#ZERO}: no polite stop; {@link #NO_LIMIT}: wait). */
    public ChildSpec shutdown(Duration time) {
        return new ChildSpec(name, body, restart, time);
    }
}
