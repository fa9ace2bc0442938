package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One request and its response on a leased connection: it reads the response's events and gives the connection back
 * exactly once, to the pool if the exchange ended cleanly and the connection may carry another, else closed. A
 * failure or a cancellation while reading closes it: it is never reused after an exchange that did not end.
 */
final class Exchange {
    private final ConnectionPool.Lease<HttpConnection> lease;
    private final Deadline deadline;
    private final ResponseLimits limits;
    private boolean ended;

    Exchange(ConnectionPool.Lease<HttpConnection> lease, Deadline deadline, ResponseLimits limits) {
        this.lease = lease;
        this.deadline = deadline;
        this.limits = limits;
    }

    HttpConnection connection() {
        return lease.connection();
    }

    ResponseLimits limits() {
        return limits;
    }

    /** The next event of the response; a failure gives the connection up. */
    ResponseEvent next() throws IOException {
        try {
            return connection().next(deadline);
        } catch (Throwable t) {
            lease.release(false);
            throw t;
        }
    }

    /** The next raw chunk of the body, or null once it has ended (and the connection went back). */
    ByteBuffer nextBodyChunk() throws IOException {
        if (ended) {
            return null;
        }
        ResponseEvent event = next();
        switch (event) {
            case ResponseEvent.BodyChunk chunk -> {
                return chunk.data();
            }
            case ResponseEvent.End end -> {
                ended = true;
                lease.release(connection().keepAlive());
                return null;
            }
            case ResponseEvent.Head unexpected -> {
                lease.release(false);
                throw new HttpProtocolException("a second response head in the body of the response from "
                        + connection().origin());
            }
        }
    }

    /** Give the connection back; before the end of the body it is closed. Idempotent. */
    void finish() {
        lease.release(ended && connection().keepAlive());
    }
}
