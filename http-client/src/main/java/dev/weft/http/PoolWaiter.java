package dev.weft.http;

import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;

/**
 * A task waiting in a {@link ConnectionPool}'s queue. The pool wakes it by completing its future with a {@link Grant}
 * — always a value, never a failure, so a grant its task never reads (it was cancelled at the same moment) is handed
 * back, not reported as an unretrieved failure.
 */
final class PoolWaiter<C extends PooledConnection> {

    /** What a waiter is woken with. */
    sealed interface Grant<C extends PooledConnection> {
    }

    /** A released connection of its origin, already leased to it. */
    record Reuse<C extends PooledConnection>(ConnectionPool.Lease<C> lease) implements Grant<C> {
    }

    /** A slot, already counted as connecting: the waiter connects. */
    record Slot<C extends PooledConnection>() implements Grant<C> {
    }

    /** The wait timed out: the waiter holds nothing. */
    record TimedOut<C extends PooledConnection>() implements Grant<C> {
    }

    /** The pool closed: the waiter holds nothing. */
    record Closed<C extends PooledConnection>() implements Grant<C> {
    }

    final PoolHost<C> host;
    /** Arrival order across all origins: the oldest servable waiter is served first. */
    final long sequence;
    final Future<Grant<C>> granted;
    TimerHandle timeout;

    PoolWaiter(PoolHost<C> host, long sequence, Future<Grant<C>> granted) {
        this.host = host;
        this.sequence = sequence;
        this.granted = granted;
    }

    /** Neither granted, timed out, closed nor cancelled. */
    boolean isWaiting() {
        return !granted.isDone();
    }

    /** Wake it with the grant: it leaves the queue and its timer stops. The caller has counted what it grants. */
    void wake(Grant<C> grant) {
        if (timeout != null) {
            timeout.cancel();
        }
        granted.setResult(grant);
    }
}
