package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One request and its response on a leased connection: it reads the response's events and gives the connection back
 * exactly once, to the pool if the exchange ended cleanly and the connection may carry another, else closed. A
 * failure or a cancellation while reading closes it: it is never reused after an exchange that did not end.
 */
final class Exchange implements BodySource {
    private final ConnectionPool.Lease<HttpConnection> lease;
    private final Deadline deadline;
    private final ResponseLimits limits;
    private final Attempt attempt;
    private int status;     // of the last head read, for the tracer
    private boolean ended;
    private boolean failed; // the connection was given up: nothing more is read from it

    Exchange(ConnectionPool.Lease<HttpConnection> lease, Deadline deadline, ResponseLimits limits, Attempt attempt) {
        this.lease = lease;
        this.deadline = deadline;
        this.limits = limits;
        this.attempt = attempt;
    }

    HttpConnection connection() {
        return lease.connection();
    }

    @Override
    public ResponseLimits limits() {
        return limits;
    }

    /** The next event of the response; a failure gives the connection up. */
    ResponseEvent next() throws IOException {
        ResponseEvent event;
        try {
            event = connection().next(deadline);
        } catch (Throwable t) {
            if (connection().receivedAny()) {
                attempt.answered(); // bytes came before it broke: not a request the server never answered
            }
            fail(t);
            throw t;
        }
        attempt.answered();
        if (event instanceof ResponseEvent.Head head) {
            status = head.status();
        }
        return event;
    }

    /**
     * The next raw chunk of the body, or null once it has ended. The connection goes back at {@link #finish}, so a
     * body found bad after its last byte (a truncated gzip stream) can still give it up instead ({@link #abandon}).
     */
    @Override
    public ByteBuffer nextBodyChunk() throws IOException {
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
                HttpProtocolException second = new HttpProtocolException("a second response head in the body of "
                        + "the response from " + connection().origin());
                fail(second);
                throw second;
            }
        }
    }

    /**
     * The response switched protocols (101): the connection leaves the pool for good, with the lease to
     * {@link ConnectionPool.Lease#forget() forget} it by once its new owner closed it. Nothing more is read here.
     */
    ConnectionPool.Lease<HttpConnection> upgrade() {
        failed = true;
        lease.detach();
        attempt.done(status, false); // the connection left the pool: the protocol it switched to owns it now
        return lease;
    }

    /** Give the connection up, closed, whatever is left: the response failed on this side (a limit, say). */
    @Override
    public void abandon() {
        failed = true;
        release(false);
    }

    /**
     * Give the connection back. Before the end of the body, what is left is read off if it is here already and no
     * more than {@code drainLimit} bytes, so the connection can be kept; otherwise it is closed. Never waits.
     * Idempotent.
     */
    @Override
    public void finish(int drainLimit) {
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
        release(ended && connection().keepAlive());
    }

    /** Give the connection up after a failure: closed, and nothing more read from it. */
    private void fail(Throwable why) {
        failed = true;
        lease.release(false);
        attempt.failed(why);
    }

    private void release(boolean keep) {
        lease.release(keep);
        attempt.done(status, keep);
    }
}
