package dev.weft.http;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

/**
 * The connections of a session, kept open between requests and shared under limits: at most
 * {@link PoolLimits#total()} connections in all and {@link PoolLimits#perHost()} to one origin, counting idle ones,
 * leased ones and those being connected. Connections are kept per {@link Route}: an origin reached directly and the
 * same origin through a proxy never share one, and the per-host limit counts each route on its own.
 *
 * <h2>Acquiring</h2>
 * {@link #acquire} hands out, in this order: the newest idle connection of the origin (a stale one — closed by the
 * server while idle — is closed and skipped); else a new connection, its slot counted while the {@link Connector}
 * connects (if the pool is full but holds an idle connection of another origin, that one is closed to make room, as
 * aiohttp does); else the task waits in a bounded queue ({@link PoolLimits#maxWaiting()}, past which
 * {@link PoolFullException}) for at most {@link PoolLimits#waitTimeout()} ({@link HttpTimeoutException} of kind
 * {@code POOL_WAIT}).
 *
 * <h2>Why it cannot wedge</h2>
 * aiohttp's connector wakes a waiter and lets it take the freed slot when it runs; a waiter cancelled in between
 * woke nobody else, and once every waiter had been cancelled that way no request was ever sent again
 * (aio-libs/aiohttp#9670); and a newcomer could take the slot before the woken waiter ran, exceeding the limit
 * (aio-libs/aiohttp#4936). Here whatever is freed is <em>handed over</em>, counted, at the moment it is freed: a
 * released connection to the next waiter of its origin, else a freed slot to the oldest waiter, across origins,
 * that may use it. The grant is the waiter's from then on: if its task was cancelled (or cancelled at the same
 * moment), it hands the grant on as it leaves. A connect that fails or is cancelled frees its slot the same way. No
 * path waits to clean up, so none needs a shield.
 *
 * <h2>Leases</h2>
 * Every acquire returns a {@link Lease}, which must be released exactly once, with whether the connection may carry
 * another request (never after a request that was cancelled, timed out or failed mid-message). A lease that is never
 * released — its task failed and the caller forgot a {@code finally} — holds its slot until the pool closes: that is
 * the caller's bug, and the pool's {@link #stats()} show it as busy. {@code try (lease) { ... lease.release(true); }}
 * is the safe shape: {@link Lease#close()} releases as not reusable if nothing released it before.
 *
 * <h2>Threads</h2>
 * Everything is confined to the pool's loop: {@link #acquire} runs in a task of that loop, the other methods in a
 * task or a callback of it; from another thread they throw {@link WrongThreadException}. So the pool takes no locks.
 * Keep-alive expiry is one timer on that loop, never a thread.
 *
 * @param <C> the connections
 */
final class ConnectionPool<C extends PooledConnection> implements AutoCloseable {

    /** Opens a connection to an origin by a route. Runs in the acquiring task and may await (DNS, connect, TLS). */
    @FunctionalInterface
    interface Connector<C> {
        /** @throws IOException if it cannot connect; its own timeout is one of these */
        C connect(Route route) throws IOException;
    }

    private final EventLoop loop;
    private final PoolLimits limits;
    private final Connector<C> connector;
    private final Map<Route, PoolHost<C>> hosts = new HashMap<>();
    /** The origins with waiters, cancelled ones possibly included. */
    private final Set<PoolHost<C>> hostsWithWaiters = new LinkedHashSet<>();
    private int connections; // idle, leased and connecting, all origins
    private int idle;        // all origins
    private int queued;      // waiters in the hosts' queues, cancelled ones not yet removed included
    private long arrivals;   // the next waiter's sequence number
    private TimerHandle expiry;
    private boolean closed;
    /** Connections handed over for good (upgraded to a WebSocket): not counted, but closed if the pool closes. */
    private final Set<C> detached = new HashSet<>();

    /** A pool on the loop; it is confined to that loop from now on. */
    ConnectionPool(EventLoop loop, PoolLimits limits, Connector<C> connector) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    PoolLimits limits() {
        return limits;
    }

    // ---- acquiring

    /**
     * A connection to the origin: an idle one (newest first), a new one, or one a waiter is handed when freed. Call
     * it in a task of the pool's loop.
     *
     * @throws PoolFullException      if it would have to wait and {@link PoolLimits#maxWaiting()} tasks wait already
     * @throws HttpTimeoutException   of kind {@code POOL_WAIT} if no connection came within the wait timeout
     * @throws ClosedResourceException if the pool is or gets closed
     * @throws IOException            what the connector throws; the slot is free again
     * @throws CancellationException  if the task is cancelled; it holds nothing then
     */
    Lease<C> acquire(Route route) throws IOException {
        return acquire(route, () -> {
        });
    }

    /** {@link #acquire(Route)}, running {@code whenQueued} if the task has to wait in the queue (for tracing). */
    Lease<C> acquire(Route route, Runnable whenQueued) throws IOException {
        Lease<C> reused = idleLease(route);
        if (reused != null) {
            return reused;
        }
        PoolHost<C> host = hosts.computeIfAbsent(route, PoolHost::new);
        if (firstWaiting(host) == null && reserveSlot(host)) {
            return connectInSlot(host);
        }
        PoolWaiter<C> waiter = enqueue(host);
        whenQueued.run();
        return awaitGrant(waiter);
    }

    /**
     * The route's newest open idle connection, leased, or null if it has none: what {@link #acquire} hands out first,
     * taken without waiting or connecting, so a caller can skip what only a wait needs (a timer, tracing).
     */
    Lease<C> idleLease(Route route) throws IOException {
        Objects.requireNonNull(route, "route");
        checkInTask();
        Tasks.checkCancelled(); // a call that may wait: level-triggered cancellation reaches it even when it need not
        checkOpen(route);
        PoolHost<C> host = hosts.get(route);
        return host == null ? null : takeIdle(host);
    }

    /** {@link #acquire(Route)} of a direct connection to the origin. */
    Lease<C> acquire(Origin origin) throws IOException {
        return acquire(Route.direct(origin));
    }

    /** The newest open idle connection of the origin, leased; stale ones on the way are dropped. */
    private Lease<C> takeIdle(PoolHost<C> host) {
        PoolHost.Idle<C> newest;
        boolean dropped = false;
        Lease<C> lease = null;
        while (lease == null && (newest = host.idle.pollLast()) != null) {
            idle--;
            if (newest.connection().isOpen()) {
                lease = lease(host, newest.connection(), true);
            } else {
                discard(newest.connection());
                dropped = true;
            }
        }
        if (dropped) {
            dispatch(); // the stale ones' slots go to the oldest waiters first, as any freed slot does
        }
        return lease;
    }

    /** Count a connect to the host, if the limits allow it now or once an idle connection elsewhere is closed. */
    private boolean reserveSlot(PoolHost<C> host) {
        if (!roomPerHost(host)) {
            return false;
        }
        if (connections >= limits.total() && !evictIdleElsewhere(host)) {
            return false;
        }
        host.connecting++;
        connections++;
        return true;
    }

    private boolean roomPerHost(PoolHost<C> host) {
        return limits.perHost() == 0 || host.connections() < limits.perHost();
    }

    /** Close the oldest idle connection of another origin than the host's; returns whether there was one. */
    private boolean evictIdleElsewhere(PoolHost<C> host) {
        PoolHost<C> oldest = null;
        for (PoolHost<C> other : hosts.values()) {
            if (other != host && !other.idle.isEmpty()
                    && (oldest == null || other.idle.peekFirst().since() < oldest.idle.peekFirst().since())) {
                oldest = other;
            }
        }
        if (oldest == null) {
            return false;
        }
        idle--;
        discard(oldest.idle.pollFirst().connection());
        tidy(oldest);
        return true;
    }

    /** Connect in a counted slot; whatever happens, the slot is either a lease or free again. */
    private Lease<C> connectInSlot(PoolHost<C> host) throws IOException {
        C connection;
        try {
            connection = Objects.requireNonNull(connector.connect(host.route),
                    () -> "the pool's connector returned null for " + host.route);
        } catch (Throwable t) { // a failure, a timeout, a cancellation, a bug: the slot is free again
            host.connecting--;
            connections--;
            dispatch();
            tidy(host);
            throw t;
        }
        host.connecting--;
        if (closed) { // closed while it connected: nobody may use it now
            discard(connection);
            tidy(host);
            throw closedException(host.route);
        }
        return lease(host, connection, false);
    }

    private Lease<C> lease(PoolHost<C> host, C connection, boolean reused) {
        Lease<C> lease = new Lease<>(this, host, connection, reused);
        host.leased.add(lease);
        return lease;
    }

    // ---- waiting

    private PoolWaiter<C> enqueue(PoolHost<C> host) throws PoolFullException {
        if (queued >= limits.maxWaiting()) {
            purgeCancelledWaiters();
            if (queued >= limits.maxWaiting()) {
                tidy(host);
                throw new PoolFullException(host.route.origin(), limits);
            }
        }
        PoolWaiter<C> waiter = new PoolWaiter<>(host, arrivals++, loop.createFuture());
        host.waiters.addLast(waiter);
        queued++;
        hostsWithWaiters.add(host);
        if (limits.waitTimeout().compareTo(PoolLimits.UNBOUNDED_WAIT) <= 0) {
            waiter.timeout = loop.callLater(limits.waitTimeout(), () -> timeOut(waiter));
        }
        return waiter;
    }

    private Lease<C> awaitGrant(PoolWaiter<C> waiter) throws IOException {
        PoolWaiter.Grant<C> grant;
        try {
            grant = waiter.granted.await();
        } catch (Throwable t) { // cancelled while waiting, or granted and cancelled before the task ran
            if (waiter.granted.isDone() && !waiter.granted.isCancelled()) {
                handBack(waiter.host, waiter.granted.result());
            } else {
                leaveQueue(waiter);
            }
            throw t;
        }
        PoolHost<C> host = waiter.host;
        if (closed) { // closed after the grant, before this task ran: close() closed a reused lease already
            if (grant instanceof PoolWaiter.Slot<C>) {
                host.connecting--;
                connections--;
                tidy(host);
            }
            throw closedException(host.route);
        }
        return switch (grant) {
            case PoolWaiter.Reuse<C> reuse -> {
                Lease<C> lease = reuse.lease();
                if (lease.connection.isOpen()) {
                    yield lease;
                }
                // The server closed it before this task ran: keep the slot and connect a new one.
                host.leased.remove(lease);
                lease.released = true;
                closeQuietly(lease.connection);
                host.connecting++; // the lease's place in the counts becomes the slot's
                yield connectInSlot(host);
            }
            case PoolWaiter.Slot<C> slot -> connectInSlot(host);
            case PoolWaiter.TimedOut<C> timedOut -> throw new HttpTimeoutException(HttpTimeoutException.Kind.POOL_WAIT,
                    limits.waitTimeout(), "no connection to " + host.route + " came free within "
                    + PoolLimits.describe(limits.waitTimeout()) + " (PoolLimits.waitTimeout) while the pool held "
                    + limits.describeConnections() + "; raise the limits or the wait, or look for responses "
                    + "that are never closed");
            case PoolWaiter.Closed<C> poolClosed -> throw closedException(host.route);
        };
    }

    /** A grant its task will not use goes on as if freed now. */
    private void handBack(PoolHost<C> host, PoolWaiter.Grant<C> grant) {
        switch (grant) {
            case PoolWaiter.Reuse<C> reuse -> reuse.lease().release(true);
            case PoolWaiter.Slot<C> slot -> {
                host.connecting--;
                connections--;
                dispatch();
                tidy(host);
            }
            case PoolWaiter.TimedOut<C> timedOut -> {
            }
            case PoolWaiter.Closed<C> poolClosed -> {
            }
        }
    }

    private void leaveQueue(PoolWaiter<C> waiter) {
        waiter.granted.cancel(); // if the task was woken some other way, no dispatch may grant it anything now
        if (waiter.timeout != null) {
            waiter.timeout.cancel();
        }
        if (waiter.host.waiters.remove(waiter)) {
            queued--;
        }
        tidy(waiter.host);
    }

    private void timeOut(PoolWaiter<C> waiter) {
        if (!waiter.isWaiting()) {
            return;
        }
        waiter.host.waiters.remove(waiter);
        queued--;
        waiter.wake(new PoolWaiter.TimedOut<>());
        tidy(waiter.host);
    }

    private PoolWaiter<C> firstWaiting(PoolHost<C> host) {
        int[] removed = {0};
        PoolWaiter<C> first = host.firstWaiting(removed);
        queued -= removed[0];
        return first;
    }

    /** Drop the waiters whose tasks were cancelled but have not run since: they no longer count against the queue. */
    private void purgeCancelledWaiters() {
        for (PoolHost<C> host : List.copyOf(hostsWithWaiters)) {
            int before = host.waiters.size();
            host.waiters.removeIf(w -> !w.isWaiting());
            queued -= before - host.waiters.size();
            tidy(host);
        }
    }

    /**
     * Hand whatever the limits allow now to the waiters, oldest servable first: run after every change that frees a
     * slot or an idle connection. Each turn serves one waiter or drops one stale connection, so it ends.
     */
    private void dispatch() {
        while (!closed && queued > 0) {
            PoolWaiter<C> waiter = oldestServableWaiter();
            if (waiter == null) {
                return;
            }
            PoolHost<C> host = waiter.host;
            PoolHost.Idle<C> newest = host.idle.pollLast();
            if (newest != null) {
                idle--;
                if (!newest.connection().isOpen()) {
                    discard(newest.connection());
                    continue;
                }
                grant(waiter, new PoolWaiter.Reuse<>(lease(host, newest.connection(), true)));
            } else if (reserveSlot(host)) {
                grant(waiter, new PoolWaiter.Slot<>());
            } else {
                return; // cannot happen: oldestServableWaiter checked the same limits
            }
        }
    }

    private PoolWaiter<C> oldestServableWaiter() {
        PoolWaiter<C> oldest = null;
        for (Iterator<PoolHost<C>> it = hostsWithWaiters.iterator(); it.hasNext(); ) {
            PoolHost<C> host = it.next();
            PoolWaiter<C> first = firstWaiting(host);
            if (first == null) {
                it.remove();
                if (host.isUnused()) {
                    hosts.remove(host.route, host);
                }
            } else if ((oldest == null || first.sequence < oldest.sequence) && servable(host)) {
                oldest = first;
            }
        }
        return oldest;
    }

    /** Whether a waiter of the host could be given something now. */
    private boolean servable(PoolHost<C> host) {
        return !host.idle.isEmpty()
                || roomPerHost(host) && (connections < limits.total() || idle > host.idle.size());
    }

    private void grant(PoolWaiter<C> waiter, PoolWaiter.Grant<C> grant) {
        waiter.host.waiters.remove(waiter); // the first one, nearly always
        queued--;
        waiter.wake(grant);
    }

    // ---- releasing

    /** The lease's way back: to the next waiter of its origin, else idle (or closed), and its slot on. */
    private void release(Lease<C> lease, boolean reusable) {
        PoolHost<C> host = lease.host;
        host.leased.remove(lease);
        C connection = lease.connection;
        if (!reusable || closed || limits.keepAlive().isZero() || !connection.isOpen()) {
            discard(connection);
            dispatch();
            tidy(host);
            return;
        }
        PoolWaiter<C> next = firstWaiting(host);
        if (next != null) {
            grant(next, new PoolWaiter.Reuse<>(lease(host, connection, true)));
            return;
        }
        host.idle.addLast(new PoolHost.Idle<>(connection, loop.time()));
        idle++;
        scheduleExpiry();
        dispatch(); // a waiter of another origin, held back by the total limit, may close it to connect
    }

    /** The lease's connection leaves the pool for good: its slot is freed, and only a closing pool still closes it. */
    private void detach(Lease<C> lease) {
        PoolHost<C> host = lease.host;
        host.leased.remove(lease);
        connections--;
        detached.add(lease.connection);
        dispatch();
        tidy(host);
    }

    /** Close a connection the pool counted and count it out. */
    private void discard(C connection) {
        connections--;
        closeQuietly(connection);
    }

    private void closeQuietly(C connection) {
        try {
            connection.close();
        } catch (RuntimeException e) { // a broken close() must not leave the pool's counts half-updated
            loop.callExceptionHandler(new UnhandledError("closing pooled connection " + connection + " failed", e));
        }
    }

    /** Forget an origin the pool holds nothing for, so a client that visits many hosts does not grow the map. */
    private void tidy(PoolHost<C> host) {
        if (host.isUnused()) {
            hosts.remove(host.route, host);
            hostsWithWaiters.remove(host);
        }
    }

    // ---- keep-alive

    /** One timer for the whole pool, at the oldest idle connection's expiry; no timer while nothing is idle. */
    private void scheduleExpiry() {
        if (expiry != null || idle == 0 || closed) {
            return;
        }
        long oldest = Long.MAX_VALUE;
        for (PoolHost<C> host : hosts.values()) {
            if (!host.idle.isEmpty()) {
                oldest = Math.min(oldest, host.idle.peekFirst().since());
            }
        }
        expiry = loop.callAt(oldest + limits.keepAlive().toNanos(), this::expire);
    }

    private void expire() {
        expiry = null;
        long now = loop.time();
        long keepAlive = limits.keepAlive().toNanos();
        for (PoolHost<C> host : List.copyOf(hosts.values())) {
            while (!host.idle.isEmpty() && now - host.idle.peekFirst().since() >= keepAlive) {
                idle--;
                discard(host.idle.pollFirst().connection());
            }
            tidy(host);
        }
        dispatch();
        scheduleExpiry();
    }

    // ---- state

    /** The numbers now, per origin and in all. Exact: a cancelled waiter no longer counts. */
    PoolStats stats() {
        checkOnLoop("stats");
        Map<String, PoolHost<C>> byName = new TreeMap<>();
        for (PoolHost<C> host : hosts.values()) {
            byName.put(host.route.toString(), host);
        }
        Map<Origin, PoolStats.HostStats> perHost = new LinkedHashMap<>();
        int idleNow = 0, busy = 0, connecting = 0, waiting = 0;
        for (PoolHost<C> host : byName.values()) {
            PoolStats.HostStats s = host.stats();
            if (s.total() + s.waiting() == 0) {
                continue; // only cancelled waiters, not yet gone
            }
            perHost.merge(host.route.origin(), s, PoolStats.HostStats::plus); // one origin by two routes: summed
            idleNow += s.idle();
            busy += s.busy();
            connecting += s.connecting();
            waiting += s.waiting();
        }
        return new PoolStats(idleNow, busy, connecting, waiting, perHost);
    }

    /**
     * Close the pool: idle connections and leased ones are closed now (a request still running on one fails with
     * its connection's error, and releasing its lease does nothing), waiters fail with
     * {@link ClosedResourceException}, and so do later acquires. A connect under way finishes, and its connection
     * is closed then. Idempotent; runs in a task or a callback of the loop, and never waits.
     */
    @Override
    public void close() {
        checkOnLoop("close");
        if (closed) {
            return;
        }
        closed = true;
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
        for (PoolHost<C> host : List.copyOf(hosts.values())) {
            for (PoolWaiter<C> waiter : host.waiters) {
                if (waiter.isWaiting()) {
                    waiter.wake(new PoolWaiter.Closed<>());
                }
            }
            host.waiters.clear();
            for (PoolHost.Idle<C> i : host.idle) {
                discard(i.connection());
            }
            host.idle.clear();
            for (Lease<C> lease : new ArrayList<>(host.leased)) {
                lease.released = true;
                discard(lease.connection);
            }
            host.leased.clear();
            tidy(host);
        }
        idle = 0;
        queued = 0;
        hostsWithWaiters.clear();
        List.copyOf(detached).forEach(this::closeQuietly); // an owner's close may forget it meanwhile
        detached.clear();
    }

    boolean isClosed() {
        return closed;
    }

    private ClosedResourceException closedException(Route route) {
        return new ClosedResourceException("cannot get a connection to " + route
                + ": the connection pool was closed by this side (its session is closed)");
    }

    private void checkOpen(Route route) throws ClosedResourceException {
        if (closed) {
            throw closedException(route);
        }
    }

    private void checkOnLoop(String operation) {
        if (!loop.inLoop()) {
            throw new WrongThreadException("ConnectionPool." + operation + "() called on thread '"
                    + Thread.currentThread().getName() + "': the pool is confined to its " + loop.backendName()
                    + " loop; call it from a task of that loop (EventLoop.submit from other threads)");
        }
    }

    private void checkInTask() {
        checkOnLoop("acquire");
        if (Task.currentOrNull() == null) {
            throw new BlockingOnLoopException("ConnectionPool.acquire() may wait, and waiting");
        }
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + connections + " connections, " + idle + " idle, " + limits + "]";
    }

    /**
     * One connection lent to one request. Release it exactly once, saying whether the connection may carry another
     * request; confined to the pool's loop, as the pool is.
     */
    static final class Lease<C extends PooledConnection> implements AutoCloseable {
        private final ConnectionPool<C> pool;
        private final PoolHost<C> host;
        private final C connection;
        private final boolean reused;
        private boolean released;

        private Lease(ConnectionPool<C> pool, PoolHost<C> host, C connection, boolean reused) {
            this.pool = pool;
            this.host = host;
            this.connection = connection;
            this.reused = reused;
        }

        C connection() {
            return connection;
        }

        /** Whether the connection carried a request before: a request that fails on it at once may be retried. */
        boolean reused() {
            return reused;
        }

        Origin origin() {
            return host.route.origin();
        }

        /**
         * Give the connection back: reusable, to the next waiter of its origin or the idle connections (closed if the
         * pool is closed or it was closed meanwhile); not reusable, closed and its slot freed. Idempotent: only the
         * first call counts. Never waits.
         */
        void release(boolean reusable) {
            pool.checkOnLoop("Lease.release");
            if (released) {
                return;
            }
            released = true;
            pool.release(this, reusable);
        }

        /**
         * Hand the connection over for good to the protocol it switched to (a WebSocket after 101): it stops counting
         * against the limits, is never reused, and is closed by its new owner, who calls {@link #forget()} then; the
         * pool closes it only if the pool closes first. Counts as the release. Never waits.
         */
        void detach() {
            pool.checkOnLoop("Lease.detach");
            if (!released) {
                released = true;
                pool.detach(this);
            }
        }

        /** After {@link #detach()}, once the new owner closed the connection: the closing pool need not. */
        void forget() {
            pool.checkOnLoop("Lease.forget");
            pool.detached.remove(connection);
        }

        /** {@code release(false)} unless released already: for try-with-resources around a request. */
        @Override
        public void close() {
            release(false);
        }

        @Override
        public String toString() {
            return "Lease[" + host.route + ", " + connection + (released ? ", released" : "") + "]";
        }
    }
}
