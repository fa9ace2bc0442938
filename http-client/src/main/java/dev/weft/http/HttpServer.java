package dev.weft.http;

import dev.weft.net.Addresses;
import dev.weft.net.IncompleteReadException;
import dev.weft.net.LimitOverrunException;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.scope.Timeout;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * A small HTTP/1.1 server on Weft's streams, on any loop: each connection is a task that reads a request, asks the
 * {@link RequestHandler} for the answer, writes it, and goes on with the next request while the connection is kept
 * alive (HTTP/1.1 unless {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}).
 *
 * <pre>{@code
 * HttpServer server = HttpServer.start("127.0.0.1", 8001, request -> ServerResponse.text(200, "hello"));
 * }</pre>
 *
 * <p>It shares the client's header type and checks, and is as strict as the client toward what it receives: a
 * malformed head is answered 400 (431 past {@value RequestHeadParser#MAX_FIELDS} fields or the reader's 64 KiB
 * limit, 505 for a version other than 1.0 and 1.1), a body past {@code maxBodyBytes} 413, a chunked request body 501,
 * each followed by closing the connection (once the client's bytes still coming are read and dropped, for the request
 * timeout at most, so that the answer is not lost to a reset); {@code Expect: 100-continue} is answered before the
 * body is read. A request must arrive whole within the request timeout of the server's starting to wait for it (a
 * keep-alive connection's idle time included): a slow or silent client is closed then, with 408 if it had begun. What
 * it does not do: chunked request bodies, streamed answers, TLS, HTTP/2. Made for the flag server and tests; a
 * framework's server is a bigger thing.
 */
public final class HttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpServer.class.getName());
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A request body larger than this is refused with 413 unless the server is told otherwise. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** How long a request may take to arrive, idle keep-alive time included, unless told otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final StreamServer server;
    private final int port;
    private final RequestHandler handler;
    private final int maxBodyBytes;
    private final Duration requestTimeout;
    private final ResponseHeads heads = new ResponseHeads();
    private int abortedNonReaders; // on the loop

    private HttpServer(String host, int port, RequestHandler handler, int maxBodyBytes, Duration requestTimeout)
            throws IOException {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeout = requestTimeout;
        this.server = Streams.startServer(this::serve, host, port);
        this.port = server.port();
    }

    /** Listen on host:port (0: a free port) with the default limits; in a task, whose loop serves. */
    public static HttpServer start(String host, int port, RequestHandler handler) throws IOException {
        return start(host, port, handler, DEFAULT_MAX_BODY_BYTES, DEFAULT_REQUEST_TIMEOUT);
    }

    /** Listen with these limits: the largest request body accepted, and the time a request may take to arrive. */
    public static HttpServer start(String host, int port, RequestHandler handler, int maxBodyBytes,
                                   Duration requestTimeout) throws IOException {
        if (maxBodyBytes < 0 || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("maxBodyBytes must be 0 or more and the request timeout positive: "
                    + maxBodyBytes + ", " + requestTimeout);
        }
        return new HttpServer(host, port, handler, maxBodyBytes, requestTimeout);
    }

    /** The port it listens on. Any thread. */
    public int port() {
        return port;
    }

    /** The URL of a path on this server, over 127.0.0.1. Any thread. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** Connections aborted because their client did not take an answer within the request timeout. In a task. */
    public int abortedNonReaders() {
        return abortedNonReaders;
    }

    /** Connections open now. */
    public int connectionCount() {
        return server.connectionCount();
    }

    /** Stop accepting, give the requests being answered this long, then close every connection and wait. */
    public void close(Duration grace) {
        server.closeGracefully(grace);
    }

    /** Stop accepting and close every connection now, waiting until they are closed. In a task. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private void serve(StreamReader reader, StreamWriter writer) throws IOException {
        String peer = Addresses.format(writer.transport().remoteAddress());
        while (true) {
            ServerRequest request;
            try {
                request = Timeout.orNull(requestTimeout, () -> readRequest(reader, writer, peer));
                if (request == null) {
                    if (reader.buffered() > 0) { // it had begun: say why it is closed
                        refuse(reader, writer, ServerResponse.text(408, "the request did not arrive within "
                                + requestTimeout.toMillis() + " ms\n"));
                    }
                    return; // a silent or slow client, or one that closed between requests
                }
            } catch (BadRequestException e) {
                refuse(reader, writer, ServerResponse.text(e.status(), e.getMessage() + "\n"));
                return;
            } catch (LimitOverrunException e) {
                refuse(reader, writer, ServerResponse.text(431, "the request's head is longer than "
                        + reader.limit() + " bytes\n"));
                return;
            }
            ServerResponse response = answer(request);
            boolean keepAlive = keepsAlive(request, response);
            if (!write(writer, request, response, keepAlive)) {
                return; // the client does not read: aborted
            }
            if (!keepAlive) {
                lingeringClose(reader, writer); // it may have sent more requests: no reset for them
                return;
            }
        }
    }

    /**
     * Answer a request the server reads no further, and close without a reset. Closed with the client's bytes still
     * unread (a body it is sending, a 413's above all), the socket would send a reset, and the client, still writing,
     * would get that instead of the answer. So the answer goes out, the server ends its side, and what the client
     * still sends is read and dropped until it ends its side or the request timeout runs out (a lingering close).
     */
    private void refuse(StreamReader reader, StreamWriter writer, ServerResponse response) throws IOException {
        if (write(writer, null, response, false)) {
            lingeringClose(reader, writer);
        }
    }

    /** End this side, then read and drop what the client still sends, for the request timeout at most. */
    private void lingeringClose(StreamReader reader, StreamWriter writer) {
        try {
            writer.writeEof();
            Timeout.orNull(requestTimeout, () -> {
                while (reader.read(64 * 1024).length > 0) {
                    // dropped: the answer is out
                }
                return null;
            });
        } catch (IOException wentAway) {
            // the client closed or reset first: nothing more to wait for
        }
    }

    /** The next request, or null if the client closed the connection before sending one. */
    private ServerRequest readRequest(StreamReader reader, StreamWriter writer, String peer)
            throws IOException {
        byte[] bytes;
        int emptyHeads = 0;
        do {
            try {
                bytes = reader.readUntil(END_OF_HEAD);
            } catch (IncompleteReadException e) {
                if (e.partial().length == 0) {
                    return null;
                }
                throw e;
            } catch (EOFException e) {
                return null;
            }
            // Empty lines before a request line are ignored (RFC 9112 §2.2), a few of them.
        } while (RequestHeadParser.isEmptyLines(bytes) && ++emptyHeads < 4);
        RequestHeadParser.Head head = RequestHeadParser.parse(bytes);
        HttpHeaders headers = head.headers();
        if (headers.contains("Transfer-Encoding")) {
            throw new BadRequestException(501, "this server takes a request body with a Content-Length only, "
                    + "not Transfer-Encoding: " + headers.first("Transfer-Encoding"));
        }
        long length = contentLength(headers);
        if (length > maxBodyBytes) {
            throw new BadRequestException(413, "the request body of " + length + " bytes is larger than this "
                    + "server takes (" + maxBodyBytes + ")");
        }
        if (length > 0 && headers.containsToken("Expect", "100-continue") && head.version().equals("HTTP/1.1")) {
            writer.write(CONTINUE);
        }
        byte[] body = length == 0 ? new byte[0] : reader.readExactly((int) length);
        return new ServerRequest(head.method(), head.target(), head.version(), headers, body, peer);
    }

    private static long contentLength(HttpHeaders headers) throws BadRequestException {
        var values = headers.all("Content-Length");
        if (values.isEmpty()) {
            return 0;
        }
        String first = values.getFirst();
        for (String value : values) {
            if (!value.equals(first) || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new BadRequestException(400, "the Content-Length is not one number: " + values);
            }
        }
        return first.length() > 18 ? Long.MAX_VALUE : Long.parseLong(first); // past any limit: refused with 413
    }

    /** The handler's answer; 500 if it failed (logged), and cancellation goes on as itself. */
    private ServerResponse answer(ServerRequest request) {
        try {
            return handler.handle(request);
        } catch (CancellationException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            LOG.log(System.Logger.Level.WARNING, "the handler failed on " + request + "; answered 500", e);
            return ServerResponse.text(500, "the server failed to answer: " + e.getClass().getSimpleName() + "\n");
        }
    }

    private static boolean keepsAlive(ServerRequest request, ServerResponse response) {
        if (response.headers().containsToken("Connection", "close")
                || request.headers().containsToken("Connection", "close")) {
            return false;
        }
        return request.version().equals("HTTP/1.1") || request.headers().containsToken("Connection", "keep-alive");
    }

    /**
     * Write the response to the request (null: one the server could not read, answered before closing). The client
     * has the request timeout to take it: one that reads nothing would otherwise hold its connection, and its
     * answer's bytes, for ever. Returns false if it did not, the connection then aborted.
     */
    private boolean write(StreamWriter writer, ServerRequest request, ServerResponse response, boolean keepAlive)
            throws IOException {
        boolean http10 = request != null && request.version().equals("HTTP/1.0");
        writer.write(heads.encode(response, keepAlive, http10));
        boolean head = request != null && request.method().equals("HEAD");
        if (!head && response.body().length > 0) {
            writer.write(response.body());
        }
        if (writer.transport().writeBufferSize() <= StreamTransport.DEFAULT_HIGH_WATER) {
            writer.drain(); // it does not wait below the high-water mark (the server never moves it): no timer
            return true;
        }
        if (Timeout.orNull(requestTimeout, () -> {
            writer.drain();
            return Boolean.TRUE;
        }) == null) {
            writer.abort();
            abortedNonReaders++;
            return false;
        }
        return true;
    }
}
