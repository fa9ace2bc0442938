package dev.weft.supervise;

/** When a supervisor restarts a child that has ended, as OTP's {@code restart} key of a child spec. */
public enum Restart {
    /** Always restarted, however it ended: a service that should never stop. */
    PERMANENT,
    /**
     * Restarted after a failure; a normal return, or a cancellation, calls for no restart: a job that may finish. Under
     * {@link Strategy#ONE_FOR_ALL} and {@link Strategy#REST_FOR_ONE} a finished one keeps its place, and a sibling's
     * restart that reaches it starts it again with the others, as OTP does: the group restarts from a known state, of
     * which the job's work is a part.
     */
    TRANSIENT,
    /**
     * Never restarted, not even when a sibling's restart stops it under {@link Strategy#ONE_FOR_ALL} or
     * {@link Strategy#REST_FOR_ONE}: it leaves the supervisor when it ends.
     */
    TEMPORARY;

    /** Whether a child that ended so (by a failure, or else by a return or a cancellation) is to be restarted. */
    boolean restarts(boolean failed) {
        return switch (this) {
            case PERMANENT -> true;
            case TRANSIENT -> failed;
            case TEMPORARY -> false;
        };
    }
}
