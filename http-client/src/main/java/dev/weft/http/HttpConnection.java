package dev.weft.http;

import dev.weft.net.StreamConnection;
import dev.weft.net.TlsOptions;

import java.io.IOException;
import java.nio.ByteBuffer;

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

    /** Write a request (its head and any body parts) and wait until the connection has taken it. */
    void send(Deadline deadline, ByteBuffer... parts) throws IOException {
        receivedAny = false;
        for (ByteBuffer part : parts) {
            stream.writer().write(part);
        }
        deadline.within(HttpTimeoutException.Kind.WRITE, deadline.timeouts().write(), () -> {
            stream.writer().drain();
            return null;
        });
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
        return parser.keepAlive() && !input.hasRemaining() && isOpen();
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
