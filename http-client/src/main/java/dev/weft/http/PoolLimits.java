package dev.weft.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of a connection pool.
 *
 * @param total       connections open at once, to all origins: idle, busy and being connected; at least 1
 * @param perHost     connections open at once to one origin; 0 for no limit but {@code total}
 * @param maxWaiting  tasks that may wait for a connection at once; one more fails at once with
 *                    {@link PoolFullException}; 0 to never wait
 * @param waitTimeout how long a task waits for a connection before it fails with an {@link HttpTimeoutException} of
 *                    kind {@link HttpTimeoutException.Kind#POOL_WAIT}; positive. The connect that follows has its own
 *                    timeout. A duration of more than 100 years (such as {@code ChronoUnit.FOREVER.getDuration()})
 *                    waits without bound
 * @param keepAlive   how long an idle connection is kept for reuse before it is closed; {@link Duration#ZERO} keeps
 *                    none (every connection is closed when released)
 */
public record PoolLimits(int total, int perHost, int maxWaiting, Duration waitTimeout, Duration keepAlive) {

    /**
     * 100 connections in all, no limit per host, 1000 waiters, a 30 s wait, 15 s keep-alive.
     *
     * <p>100 and 15 s are aiohttp's defaults, which its users know. No per-host limit, as in aiohttp: a client that
     * talks to one service — the common case — would otherwise find the per-host number silently becoming its limit
     * and {@code total} meaning nothing; whoever fans out to many hosts sets one. The wait is bounded by default
     * (aiohttp's is not): a pool whose connections are all held by requests that never finish then fails with a
     * typed error naming the limits, instead of hanging — the wedge aiohttp users report (aio-libs/aiohttp#9670).
     */
    public static final PoolLimits DEFAULTS =
            new PoolLimits(100, 0, 1000, Duration.ofSeconds(30), Duration.ofSeconds(15));

    /** Waits longer than this arm no timer: they are unbounded. */
    static final Duration UNBOUNDED_WAIT = Duration.ofDays(36_525);

    /** @throws IllegalArgumentException naming the bad limit and what it may be */
    public PoolLimits {
        Objects.requireNonNull(waitTimeout, "waitTimeout");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (total < 1) {
            throw new IllegalArgumentException("PoolLimits.total must be at least 1, got " + total);
        }
        if (perHost < 0) {
            throw new IllegalArgumentException("PoolLimits.perHost must be 0 (no limit) or more, got " + perHost);
        }
        if (maxWaiting < 0) {
            throw new IllegalArgumentException("PoolLimits.maxWaiting must be 0 (never wait) or more, got "
                    + maxWaiting);
        }
        if (waitTimeout.isNegative() || waitTimeout.isZero()) {
            throw new IllegalArgumentException("PoolLimits.waitTimeout must be positive, got " + waitTimeout
                    + "; to never wait, set maxWaiting to 0");
        }
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("PoolLimits.keepAlive must be zero (keep none) or positive, got "
                    + keepAlive);
        }
    }

    public PoolLimits withTotal(int total) {
        return new PoolLimits(total, perHost, maxWaiting, waitTimeout, keepAlive);
    }

    public PoolLimits withPerHost(int perHost) {
        return new PoolLimits(total, perHost, maxWaiting, waitTimeout, keepAlive);
    }

    public PoolLimits withMaxWaiting(int maxWaiting) {
        return new PoolLimits(total, perHost, maxWaiting, waitTimeout, keepAlive);
    }

    public PoolLimits withWaitTimeout(Duration waitTimeout) {
        return new PoolLimits(total, perHost, maxWaiting, waitTimeout, keepAlive);
    }

    public PoolLimits withKeepAlive(Duration keepAlive) {
        return new PoolLimits(total, perHost, maxWaiting, waitTimeout, keepAlive);
    }

    /** {@code 100 connections in all, 10 per host}: the connection limits, for messages. */
    String describeConnections() {
        return total + " connection" + (total == 1 ? "" : "s") + " in all, "
                + (perHost == 0 ? "no limit per host" : perHost + " per host");
    }

    /** {@code 30 s}, {@code 250 ms}: a limit as messages print it. */
    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
