package dev.weft.supervise;

import java.time.Duration;

/**
 * A supervisor restarted its children more often than its intensity allows (more than {@code maxRestarts} within
 * {@code period}), so it stopped them all and failed with this: OTP's "reached maximum restart intensity". It names
 * the child whose restart was one too many; the cause is how that child last ended (its failure, or a
 * {@link ChildStartException}), or none if it returned or was cancelled. A parent supervisor sees this as a crash of
 * the child that was this supervisor, and restarts it by its spec.
 *
 * <p>Remedy: fix what makes the child fail, or allow more restarts ({@link SupervisorSpec#maxRestarts}), or slow
 * them down ({@link SupervisorSpec#backoff}).
 */
public class SupervisorGaveUpException extends RuntimeException {
    private final String supervisor;
    private final String child;

    SupervisorGaveUpException(String supervisor, String child, String howItEnded, int maxRestarts, Duration period,
                              Throwable cause) {
        super("supervisor '" + supervisor + "' gave up: child '" + child + "' " + howItEnded + ", one restart more "
                + "than its limit of " + maxRestarts + " in " + period + "; it stopped its children. Fix the child, "
                + "or allow more restarts (maxRestarts) or space them out (backoff)", cause);
        this.supervisor = supervisor;
        this.child = child;
    }

    /** The name of the supervisor that gave up. */
    public String supervisor() {
        return supervisor;
    }

    /** The name of the child whose restart was one too many. */
    public String child() {
        return child;
    }
}
