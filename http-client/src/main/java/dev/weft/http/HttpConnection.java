package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.TlsOptions;
import dev.weft.scope.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * One HTTP/1.1 connection: a stream connection and the parser of its responses, one exchange at a time. The bytes a
 * read returns are this connection's own array, so the body chunks the parser hands on as slices of it stay valid
 * after the next read: the user gets them without a copy.
 */
final class HttpConnection implements PooledConnection {
    /** The most a read takes at once: what the transports deliver in one go. */
    private static final int READ_SIZE = 64 * 1024;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Origin origin;
    private final StreamConnection stream;
    private final ResponseParser parser;
    private ByteBuffer input = NOTHING; // read, not yet parsed
    private boolean receivedAny;        // a byte of the current response came: a retry would not be safe to assume
    private Runnable ownersClose;       // after a switch of protocols (101), how the new owner closes it
    private boolean bodyWithheld;       // a final status came before the request's body: the server may await it

    /** Over a stream that is connected already (a proxy's tunnel, say): TLS, if any, started. */
    HttpConnection(Origin origin, StreamConnection stream, ResponseLimits limits) {
        this.origin = origin;
        this.stream = stream;
        this.parser = new ResponseParser(limits);
    }

    /** Connect to the origin (TLS for https), within the connect timeout and the request's deadline. */
    static HttpConnection open(Origin origin, Deadline deadline, TlsOptions tls, ResponseLimits limits,
                               Attempt attempt) throws IOException {
        StreamConnection stream = deadline.within(HttpTimeoutException.Kind.CONNECT, deadline.timeouts().connect(),
                () -> {
                    StreamConnection plain = Dialer.connect(origin, attempt);
                    if (origin.scheme().equals("https")) {
                        Dialer.startTls(plain, origin, tls, attempt);
                    }
                    return plain;
                });
        return new HttpConnection(origin, stream, limits);
    }

    Origin origin() {
        return origin;
    }

    /**
     * Write a request, its head and then its body if it has one, and wait until the connection has taken it. With a
     * {@code continueWait} (the request said {@code Expect: 100-continue}), the body waits after the head for the
     * server's 100 (Continue), at most that long, and is then sent anyway, as curl does; a final status that comes
     * instead is returned, the body is not sent, and the connection is not reused (the server may still wait for it).
     *
     * @return the final response head that answered before the body was sent, or null once the body is sent
     */
    ResponseEvent.Head send(Deadline deadline, ByteBuffer head, RequestBody body, Duration continueWait)
            throws IOException {
        receivedAny = false;
        bodyWithheld = false;
        stream.writer().write(head);
        if (body != null && continueWait != null) {
            drain(deadline);
            ResponseEvent.Head answer = awaitContinue(deadline, continueWait);
            if (answer != null) {
                bodyWithheld = true;
                return answer;
            }
        }
        if (body == null) {
            drain(deadline);
            return null;
        }
        BodyWriter sink = new BodyWriter(stream.writer(), deadline, body.length());
        try {
            body.writeTo(sink);
            sink.finish();
            return null;
        } catch (IOException e) {
            // A server that refuses a body (a 413, a 501) may answer and close while it comes: that answer, not the
            // reset it caused, is what the caller needs, if it arrived before the connection broke.
            ResponseEvent.Head answer = sink.connectionFailed() ? finalHeadIfHere(e) : null;
            if (answer == null) {
                throw e;
            }
            bodyWithheld = true;
            return answer;
        }
    }

    private ResponseEvent.Head finalHeadIfHere(IOException writeFailure) {
        try {
            for (ResponseEvent event = nextIfHere(); event instanceof ResponseEvent.Head head; event = nextIfHere()) {
                if (head.status() >= 200) {
                    return head;
                }
            }
        } catch (IOException | RuntimeException malformed) {
            writeFailure.addSuppressed(malformed);
        }
        return null;
    }

    private void drain(Deadline deadline) throws IOException {
        if (stream.writer().transport().writeBufferSize() == 0 && !stream.writer().isClosing()) {
            return; // the kernel took it all: nothing to wait for, so no timer to set (a broken peer shows on reading)
        }
        deadline.within(HttpTimeoutException.Kind.WRITE, deadline.timeouts().write(), () -> {
            stream.writer().drain();
            return null;
        });
    }

    /** A final head that came within the wait, or null for a 100 or none in time. Skips other 1xx (102, 103). */
    private ResponseEvent.Head awaitContinue(Deadline deadline, Duration wait) throws IOException {
        long until = EventLoop.current().time() + wait.toNanos();
        while (true) {
            // A read cut short by the wait consumes nothing, so the parser reads the late answer later, whole.
            ResponseEvent event = Timeout.orNullAt(until, () -> next(deadline));
            if (!(event instanceof ResponseEvent.Head answer) || answer.status() == 100) {
                return null; // no answer in time (an event before a head is the parser's error, thrown by next)
            }
            if (answer.status() >= 200 || answer.status() == 101) {
                return answer;
            }
        }
    }

    /** Start reading the response to a request with this method. */
    void expectResponseTo(String method) {
        parser.begin(method);
    }

    /** The next event of the current response: reads as the parser needs, within the read timeout and deadline. */
    ResponseEvent next(Deadline deadline) throws IOException {
        while (true) {
            ResponseEvent event = parser.next(input);
            if (event != null) {
                return event;
            }
            byte[] bytes = deadline.within(HttpTimeoutException.Kind.READ, deadline.timeouts().read(),
                    () -> stream.reader().read(READ_SIZE));
            if (bytes.length == 0) {
                return parser.endOfInput();
            }
            receivedAny = true;
            input = ByteBuffer.wrap(bytes);
        }
    }

    /**
     * The next event of the current response if the bytes for it are here already, else null: never waits. What
     * closing a response early uses to read off a short rest and keep the connection.
     */
    ResponseEvent nextIfHere() throws IOException {
        while (true) {
            ResponseEvent event = parser.next(input);
            if (event != null) {
                return event;
            }
            int here = stream.reader().buffered();
            if (here == 0) {
                return null;
            }
            input = ByteBuffer.wrap(stream.reader().read(here)); // buffered: returns at once
        }
    }

    /** The stream under it: a protocol the connection switched to (101) reads and writes it directly. */
    StreamConnection stream() {
        return stream;
    }

    /** The bytes read past the last response's head and not parsed: after a 101, the new protocol's first bytes. */
    ByteBuffer unparsed() {
        return input.slice();
    }

    /** Whether any byte of the current response arrived: a request that failed before is safe to send again. */
    boolean receivedAny() {
        return receivedAny;
    }

    /** Whether the last response left the connection fit for another request. */
    boolean keepAlive() {
        return parser.keepAlive() && !input.hasRemaining() && !bodyWithheld && isOpen();
    }

    /**
     * Open, and nothing came that no request asked for: bytes that arrive after a response's end (more than its
     * Content-Length, a body on a HEAD, 204 or 304 answer) would be read as the next request's response.
     */
    @Override
    public boolean isOpen() {
        return !stream.writer().isClosing() && !stream.reader().atEof() && stream.reader().buffered() == 0;
    }

    /**
     * After a switch of protocols, have {@link #close()} — what a closing pool calls — close the connection the new
     * owner's way (a WebSocket sends its close frame first).
     */
    void closeAs(Runnable owner) {
        this.ownersClose = owner;
    }

    @Override
    public void close() {
        if (ownersClose != null) {
            Runnable owner = ownersClose;
            ownersClose = null;
            owner.run();
        } else {
            stream.writer().abort();
        }
    }

    @Override
    public String toString() {
        return "HttpConnection[" + origin + ", " + stream.writer() + "]";
    }
}
