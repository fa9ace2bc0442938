package dev.weft.http;

import java.io.IOException;
import java.util.Objects;

/**
 * A task needed to wait for a pooled connection and the wait queue was full ({@link PoolLimits#maxWaiting()} tasks
 * waited already): it fails at once rather than queue without bound. The message names the origin and the limits.
 */
public class PoolFullException extends IOException {
    private final Origin origin;
    private final transient PoolLimits limits;

    public PoolFullException(Origin origin, PoolLimits limits) {
        super("cannot wait for a connection to " + Objects.requireNonNull(origin, "origin") + ": "
                + Objects.requireNonNull(limits, "limits").maxWaiting() + " task"
                + (limits.maxWaiting() == 1 ? "" : "s") + " already wait for the pool's "
                + limits.describeConnections() + " (PoolLimits.maxWaiting); raise maxWaiting or the connection "
                + "limits, or bound the requests in flight (a Semaphore around them)");
        this.origin = origin;
        this.limits = limits;
    }

    /** The origin the failed acquire asked for. */
    public Origin origin() {
        return origin;
    }

    /** The pool's limits. */
    public PoolLimits limits() {
        return limits;
    }
}
