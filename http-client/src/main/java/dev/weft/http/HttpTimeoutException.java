package dev.weft.http;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * One of a request's time limits ran out: which one ({@link #kind()}) and what it was ({@link #limit()}) are in the
 * type and in the message. A {@code SocketTimeoutException}, so {@code catch (IOException e)} sees it with every other
 * network failure.
 */
public class HttpTimeoutException extends SocketTimeoutException {
    /** Which limit ran out. */
    public enum Kind {
        /** The whole request, from the call to the end of the body. */
        TOTAL,
        /** Waiting for a connection from the pool. */
        POOL_WAIT,
        /** Connecting: DNS, every Happy Eyeballs attempt, and TLS. */
        CONNECT,
        /** Waiting for the next bytes of the response. */
        READ,
        /** Waiting for the request to be written. */
        WRITE
    }

    private final Kind kind;
    private final transient Duration limit;

    public HttpTimeoutException(Kind kind, Duration limit, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    public Kind kind() {
        return kind;
    }

    public Duration limit() {
        return limit;
    }
}
