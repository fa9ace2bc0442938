package dev.weft.http;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * What a {@link ConnectionPool} holds for one route (an origin, directly or through one proxy): its idle
 * connections, its leases, its connects under way and its waiters. Plain state, changed only by the pool, on its loop.
 */
final class PoolHost<C extends PooledConnection> {

    /** An idle connection and when it became idle, on the loop's clock. */
    record Idle<C>(C connection, long since) {
    }

    final Route route;
    /** Oldest first: reuse takes the newest (the warmest, least likely closed by the server), expiry the oldest. */
    final ArrayDeque<Idle<C>> idle = new ArrayDeque<>();
    final Set<ConnectionPool.Lease<C>> leased = new HashSet<>();
    /** Slots counted for connects under way, including those granted to waiters that have not connected yet. */
    int connecting;
    /** In arrival order. A waiter cancelled by its task stays here until the task resumes, or a purge. */
    final ArrayDeque<PoolWaiter<C>> waiters = new ArrayDeque<>();

    PoolHost(Route route) {
        this.route = route;
    }

    int busy() {
        return leased.size() + connecting;
    }

    int connections() {
        return idle.size() + busy();
    }

    /** The first waiter still waiting; cancelled ones before it leave the queue. Returns how many left in removed. */
    PoolWaiter<C> firstWaiting(int[] removed) {
        PoolWaiter<C> first;
        while ((first = waiters.peekFirst()) != null && !first.isWaiting()) {
            waiters.pollFirst();
            removed[0]++;
        }
        return first;
    }

    int waiting() {
        int n = 0;
        for (PoolWaiter<C> w : waiters) {
            if (w.isWaiting()) {
                n++;
            }
        }
        return n;
    }

    boolean isUnused() {
        return idle.isEmpty() && leased.isEmpty() && connecting == 0 && waiters.isEmpty();
    }

    PoolStats.HostStats stats() {
        return new PoolStats.HostStats(idle.size(), busy(), connecting, waiting());
    }
}
