package dev.weft.http;

import java.time.Duration;

/**
 * A session's time limits; {@code null} means none. Each limit that runs out throws an {@link HttpTimeoutException}
 * of its own {@link HttpTimeoutException.Kind kind}, naming it. The pool's wait has its limit in {@link PoolLimits}.
 *
 * @param total   the whole request: from the call to the end of the response's body (aiohttp's {@code total})
 * @param connect making a connection: DNS, every Happy Eyeballs attempt and the TLS handshake
 * @param read    the longest wait for the next bytes of a response (aiohttp's {@code sock_read})
 * @param write   the longest wait for a request to be taken by the connection
 */
public record HttpTimeouts(Duration total, Duration connect, Duration read, Duration write) {
    /** Five minutes in all, as aiohttp; 30 s to connect; reads and writes bounded by the total only. */
    public static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofMinutes(5), Duration.ofSeconds(30), null, null);

    public HttpTimeouts {
        requirePositive("total", total);
        requirePositive("connect", connect);
        requirePositive("read", read);
        requirePositive("write", write);
    }

    public HttpTimeouts withTotal(Duration limit) {
        return new HttpTimeouts(limit, connect, read, write);
    }

    public HttpTimeouts withConnect(Duration limit) {
        return new HttpTimeouts(total, limit, read, write);
    }

    public HttpTimeouts withRead(Duration limit) {
        return new HttpTimeouts(total, connect, limit, write);
    }

    public HttpTimeouts withWrite(Duration limit) {
        return new HttpTimeouts(total, connect, read, limit);
    }

    private static void requirePositive(String name, Duration limit) {
        if (limit != null && (limit.isNegative() || limit.isZero())) {
            throw new IllegalArgumentException("the " + name + " timeout must be positive, or null for none: " + limit);
        }
    }
}
