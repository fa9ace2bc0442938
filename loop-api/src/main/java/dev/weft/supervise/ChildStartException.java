package dev.weft.supervise;

/**
 * A child ended before it said it had started ({@link StartSignal}): it failed, returned, or was cancelled while
 * starting. The cause is its failure, or none. When a supervisor starts its children, this stops the children already
 * started and fails the supervisor's start (OTP's rule: a tree starts whole or not at all); when it restarts a child,
 * it counts as one more restart towards the intensity limit, and the supervisor tries again.
 */
public class ChildStartException extends RuntimeException {
    private final String child;

    ChildStartException(String supervisor, String child, String howItEnded, Throwable cause) {
        super("child '" + child + "' of supervisor '" + supervisor + "' " + howItEnded + " before it had started: "
                + "a child's body must run until it is stopped, and a ChildSpec.starting body must call "
                + "StartSignal.started() once ready", cause);
        this.child = child;
    }

    /** The name of the child that failed to start. */
    public String child() {
        return child;
    }
}
