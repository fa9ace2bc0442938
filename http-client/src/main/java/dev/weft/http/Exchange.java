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
    private boolean failed; // the connection was given up: nothing more is read from it

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
            failed = true;
            lease.release(false);
            throw t;
        }
    }

    /**
     * The next raw chunk of the body, or null once it has ended. The connection goes back at {@link #finish}, so a
     * body found bad after its last byte (a truncated gzip stream) can still give it up instead ({@link #abandon}).
     */
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
                return null;
            }
            case ResponseEvent.Head unexpected -> {
                lease.release(false);
                throw new HttpProtocolException("a second response head in the body of the response from "
                        + connection().origin());
            }
        }
    }

    /** Give the connection up, closed, whatever is left: the response failed on this side (a limit, say). */
    void abandon() {
        failed = true;
        lease.release(false);
    }

    /**
     * Give the connection back. Before the end of the body, what is left is read off if it is here already and no
     * more than {@code drainLimit} bytes, so the connection can be kept; otherwise it is closed. Never waits.
     * Idempotent.
     */
    void finish(int drainLimit) {
        if (failed) {
            return;
        }
        long drained = 0;
        try {
            while (!ended && drained <= drainLimit) {
                ResponseEvent event = connection().nextIfHere();
                if (event instanceof ResponseEvent.BodyChunk chunk) {
                    drained += chunk.data().remaining();
                } else if (event instanceof ResponseEvent.End) {
                    ended = true;
                } else {
                    break; // not here yet, or no body event: close it
                }
            }
        } catch (IOException | RuntimeException e) {
            ended = false; // a malformed rest: the connection is not reused
        }
        lease.release(ended && connection().keepAlive());
    }
}
