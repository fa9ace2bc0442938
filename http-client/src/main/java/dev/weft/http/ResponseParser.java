package dev.weft.http;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An incremental HTTP/1.1 response parser (RFC 9112) for one connection's responses, one after another.
 *
 * <p>The caller calls {@link #begin} with the request's method before each response, then {@link #next} with each
 * buffer the transport hands it until it returns null (needs more: all of the buffer was consumed), and
 * {@link #endOfInput} when the peer closes. Events: a {@code Head} (interim 1xx heads first), zero or more
 * {@code BodyChunk}s, an {@code End}. After {@code End} the buffer may hold more bytes (the next response's, or
 * garbage the caller can judge), which are left unconsumed.
 *
 * <p>It works with indexes over the caller's buffer: a body chunk is a slice of it, and only a line split across two
 * reads is copied, into a buffer of the parser's own bounded by the {@link ResponseLimits}. Strict where RFC 9112
 * says so, lenient only where real servers need it: a bare LF ends a line, empty lines before a status line are
 * skipped, the reason phrase and the space before it may be missing, obs-fold becomes a space, and a value may hold
 * obs-text and control characters other than NUL and CR. Not thread-safe: one connection, one task.
 */
final class ResponseParser {
    private enum State {
        IDLE, STATUS_LINE, HEADERS, END_PENDING, FIXED_BODY, UNTIL_CLOSE,
        CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILERS, UPGRADED, FAILED
    }

    private final ResponseLimits limits;

    private State state = State.IDLE;
    private String method;
    private boolean keepAlive;
    private boolean started;
    private boolean upgraded;
    private String failure;

    // The head being parsed.
    private int status;
    private boolean http11;
    private String reason;
    private int leadingBytes;
    private int statusLineBytes;
    private int sectionBytes;
    private int interimBytes; // the interim (1xx) heads before this one, all held to maxHeaderBytes together
    private int interimCount;
    private final FieldCollector fields;

    // The body being parsed.
    private long remaining;
    private long bodyBytes;
    private long contentLength;

    private final LineReader lines = new LineReader();

    ResponseParser(ResponseLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fields = new FieldCollector(limits);
    }

    /**
     * Starts reading the response to a request with {@code requestMethod} (a HEAD response, and a 2xx to CONNECT,
     * have no body).
     *
     * @throws IllegalStateException if a response is still being read, or the connection cannot carry another
     */
    void begin(String requestMethod) {
        switch (state) {
            case IDLE -> {
                if (method != null && !keepAlive) {
                    throw new IllegalStateException(
                            "this connection cannot carry another request: the last response ended it");
                }
            }
            case UPGRADED -> throw new IllegalStateException(
                    "this connection switched protocols (101): it carries no more HTTP/1.1 requests");
            case FAILED -> throw failedBefore();
            default -> throw new IllegalStateException("begin(" + requestMethod + ") while the response to "
                    + method + " is still being read (" + state + "); read it to its End first");
        }
        method = Objects.requireNonNull(requestMethod, "requestMethod");
        state = State.STATUS_LINE;
        keepAlive = false;
        started = false;
        leadingBytes = 0;
        interimBytes = 0;
        interimCount = 0;
        startHead();
    }

    /** Whether a byte of the current response has come: a connection closed before that may simply have gone stale. */
    boolean responseStarted() {
        return started;
    }

    /** After {@code End}: whether the connection may carry another request. False before {@code End}. */
    boolean keepAlive() {
        return state == State.IDLE && keepAlive;
    }

    /**
     * The next event from {@code input}, consuming what it used; null if {@code input} is all consumed and more is
     * needed.
     *
     * @throws HttpProtocolException if the response is malformed or over a limit; the parser is then unusable
     */
    ResponseEvent next(ByteBuffer input) throws HttpProtocolException {
        try {
            return step(input);
        } catch (HttpProtocolException e) {
            state = State.FAILED;
            keepAlive = false;
            failure = e.getMessage();
            throw e;
        }
    }

    private ResponseEvent step(ByteBuffer in) throws HttpProtocolException {
        if (in.hasRemaining()) {
            started = started || state == State.STATUS_LINE;
        }
        while (true) {
            switch (state) {
                case STATUS_LINE -> {
                    if (!readLine(in, limits.maxStatusLineBytes() + 2 - leadingBytes)) {
                        return null;
                    }
                    if (lines.isEmpty()) {
                        leadingBytes += lines.bytes;  // stray line ends after a previous body: skipped, but bounded
                    } else {
                        statusLineBytes = lines.bytes;
                        parseStatusLine();
                        state = State.HEADERS;
                    }
                }
                case HEADERS -> {
                    if (!readSectionLine(in)) {
                        return null;
                    }
                    if (lines.isEmpty()) {
                        return headComplete();
                    }
                    fields.parse(lines.buffer, lines.start, lines.end, "header");
                }
                case END_PENDING -> {
                    return end(HttpHeaders.EMPTY);
                }
                case FIXED_BODY -> {
                    if (remaining == 0) {
                        return end(HttpHeaders.EMPTY);
                    }
                    return sliceOfRemaining(in);
                }
                case UNTIL_CLOSE -> {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    long room = limits.maxBodyBytes() < 0 ? Long.MAX_VALUE : limits.maxBodyBytes() - bodyBytes;
                    if (room == 0) {
                        throw bodyTooLong();
                    }
                    int n = (int) Math.min(room, in.remaining());
                    bodyBytes += n;
                    return slice(in, n);
                }
                case CHUNK_SIZE -> {
                    if (!readLine(in, limits.maxStatusLineBytes() + 2)) {
                        return null;
                    }
                    long size = parseChunkSize();
                    if (size == 0) {
                        startSection();
                        state = State.TRAILERS;
                    } else {
                        if (limits.maxBodyBytes() >= 0 && size > limits.maxBodyBytes() - bodyBytes) {
                            throw bodyTooLong();
                        }
                        remaining = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA -> {
                    if (remaining == 0) {
                        state = State.CHUNK_DATA_CR;
                        continue;
                    }
                    return sliceOfRemaining(in);
                }
                case CHUNK_DATA_CR, CHUNK_DATA_LF -> {
                    if (!in.hasRemaining()) {
                        return null;
                    }
                    byte b = in.get(in.position());
                    if (b == '\r' && state == State.CHUNK_DATA_CR) {
                        state = State.CHUNK_DATA_LF;
                    } else if (b == '\n') {
                        state = State.CHUNK_SIZE;
                    } else {
                        throw new HttpProtocolException("malformed chunked body: expected CRLF after a chunk's "
                                + "data, but got " + HttpChars.describe(b & 0xff) + " after " + bodyBytes
                                + " body bytes; the chunk is longer than its size line says");
                    }
                    in.position(in.position() + 1);
                }
                case TRAILERS -> {
                    if (!readSectionLine(in)) {
                        return null;
                    }
                    if (lines.isEmpty()) {
                        return end(fields.build());
                    }
                    fields.parse(lines.buffer, lines.start, lines.end, "trailer");
                }
                case IDLE -> throw new IllegalStateException(
                        "no response is being read: call begin(method) before each response");
                case UPGRADED -> throw new IllegalStateException(
                        "the connection switched protocols (101): its bytes are no longer HTTP/1.1");
                case FAILED -> throw failedBefore();
            }
        }
    }

    /**
     * The peer closed the connection: the {@code End} of a body delimited by the close, or the one already due.
     *
     * @throws HttpProtocolException naming what was missing, if the response was not complete
     */
    ResponseEvent endOfInput() throws HttpProtocolException {
        String missing = switch (state) {
            case UNTIL_CLOSE, END_PENDING -> null;
            case STATUS_LINE -> !started ? "the connection closed before the response to " + method + " began (a "
                    + "server may close a kept connection just as a request comes; the client sends only idempotent "
                    + "requests again, once: repeat any other yourself if that is safe)"
                    : fields.interim != null ? "the connection closed after the interim response "
                    + fields.interim + " but before the final response"
                    : "the connection closed in the status line, after " + (leadingBytes + lines.pending()) + " bytes";
            case HEADERS -> "the connection closed in the header section, after " + fields.count() + " header fields";
            case FIXED_BODY -> "the connection closed after " + bodyBytes + " of " + contentLength + " body bytes"
                    + " (Content-Length)";
            case CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF -> "the connection closed in a chunked body, "
                    + "after " + bodyBytes + " body bytes, before its last chunk";
            case TRAILERS -> "the connection closed in the trailers of a chunked body, after " + fields.count()
                    + " trailer fields";
            case IDLE, UPGRADED -> throw new IllegalStateException("no response is being read");
            case FAILED -> throw failedBefore();
        };
        if (missing != null) {
            state = State.FAILED;
            keepAlive = false;
            failure = missing;
            throw new HttpProtocolException(missing);
        }
        keepAlive = false;
        return end(HttpHeaders.EMPTY);
    }

    private ResponseEvent.End end(HttpHeaders trailers) {
        state = upgraded ? State.UPGRADED : State.IDLE;
        return new ResponseEvent.End(trailers);
    }

    private ResponseEvent.BodyChunk slice(ByteBuffer in, int n) {
        int p = in.position();
        ByteBuffer data = in.slice(p, n);
        in.position(p + n);
        return new ResponseEvent.BodyChunk(data);
    }

    /** As much of the {@code remaining} body bytes (a Content-Length body or a chunk) as the input holds, or null. */
    private ResponseEvent sliceOfRemaining(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return null;
        }
        int n = (int) Math.min(remaining, in.remaining());
        remaining -= n;
        bodyBytes += n;
        return slice(in, n);
    }

    private IllegalStateException failedBefore() {
        return new IllegalStateException("the parser failed before (" + failure + "): the connection is unusable");
    }

    private HttpProtocolException bodyTooLong() {
        return new HttpProtocolException("the response body is longer than " + limits.maxBodyBytes()
                + " bytes (ResponseLimits.maxBodyBytes)");
    }

    // ---- lines ----

    /** The next line of the head, or false if more input is needed. */
    private boolean readLine(ByteBuffer in, int max) throws HttpProtocolException {
        if (lines.read(in, max)) {
            return true;
        }
        if (lines.overLimit()) {
            throw lineTooLong();
        }
        return false;
    }

    /** A line of a header or trailer section, whose whole size is held to maxHeaderBytes. */
    private boolean readSectionLine(ByteBuffer in) throws HttpProtocolException {
        if (!readLine(in, limits.maxHeaderBytes() - sectionBytes)) {
            return false;
        }
        sectionBytes += lines.bytes;
        return true;
    }

    private HttpProtocolException lineTooLong() {
        return new HttpProtocolException(switch (state) {
            case STATUS_LINE -> "the status line is longer than " + limits.maxStatusLineBytes()
                    + " bytes (ResponseLimits.maxStatusLineBytes)";
            case HEADERS -> "the header section is larger than " + limits.maxHeaderBytes()
                    + " bytes (ResponseLimits.maxHeaderBytes), after " + fields.count() + " header fields";
            case TRAILERS -> "the trailer section is larger than " + limits.maxHeaderBytes()
                    + " bytes (ResponseLimits.maxHeaderBytes), after " + fields.count() + " trailer fields";
            default -> "a chunk-size line is longer than " + limits.maxStatusLineBytes()
                    + " bytes (ResponseLimits.maxStatusLineBytes, which bounds chunk-size lines too), after "
                    + bodyBytes + " body bytes";
        });
    }

    // ---- the head ----

    private void startHead() {
        status = 0;
        reason = null;
        http11 = false;
        fields.interim = null;
        startSection();
    }

    private void startSection() {
        sectionBytes = 0;
        lines.clear();
        fields.clear();
    }

    /** {@code HTTP/1.1 200 OK}; the reason may be empty and the space before it missing (RFC 9112 §4). */
    private void parseStatusLine() throws HttpProtocolException {
        ByteBuffer b = lines.buffer;
        int s = lines.start;
        int e = lines.end;
        int n = e - s;
        if (n < 12 || b.get(s) != 'H' || b.get(s + 1) != 'T' || b.get(s + 2) != 'T' || b.get(s + 3) != 'P'
                || b.get(s + 4) != '/' || b.get(s + 5) != '1' || b.get(s + 6) != '.' || !digit(b.get(s + 7))
                || b.get(s + 8) != ' ' || !digit(b.get(s + 9)) || !digit(b.get(s + 10)) || !digit(b.get(s + 11))
                || (n > 12 && b.get(s + 12) != ' ')) {
            throw new HttpProtocolException("malformed status line " + HttpChars.excerpt(b, s, e)
                    + ": expected HTTP/1.x, a space and a 3-digit status code, as in \"HTTP/1.1 200 OK\"");
        }
        http11 = b.get(s + 7) != '0';
        status = (b.get(s + 9) - '0') * 100 + (b.get(s + 10) - '0') * 10 + (b.get(s + 11) - '0');
        if (status < 100) {
            throw new HttpProtocolException("malformed status line " + HttpChars.excerpt(b, s, e)
                    + ": status " + status + " is below 100");
        }
        for (int i = s + 13; i < e; i++) {
            byte c = b.get(i);
            if (c == 0 || c == '\r') {
                throw new HttpProtocolException("malformed status line " + HttpChars.excerpt(b, s, e)
                        + ": the reason phrase holds " + HttpChars.describe(c));
            }
        }
        reason = n > 13 ? FieldCollector.latin1(b, s + 13, e) : "";
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The empty line after the header fields: the Head, and how its body is framed (RFC 9112 §6.3). */
    private ResponseEvent headComplete() throws HttpProtocolException {
        HttpHeaders headers = fields.build();
        var head = new ResponseEvent.Head(status, reason, headers, http11);
        if (status < 200) {
            if (status == 101) {
                keepAlive = false;
                upgraded = true;  // the rest of the connection's bytes are another protocol's: the caller's
                state = State.END_PENDING;
                return head;
            }
            // Any number may come (RFC 9110 §15.2), but not without end: a server sending nothing but 1xx would
            // keep the request from ever ending while bytes flow, which no read timeout catches.
            interimBytes += statusLineBytes + sectionBytes;
            interimCount++;
            if (interimBytes > limits.maxHeaderBytes()) {
                throw new HttpProtocolException("the interim (1xx) responses before the final one are larger than "
                        + limits.maxHeaderBytes() + " bytes together (ResponseLimits.maxHeaderBytes bounds them), "
                        + "after " + interimCount + " of them");
            }
            String interim = status + (reason.isEmpty() ? "" : " " + reason);
            startHead();
            fields.interim = interim;
            state = State.STATUS_LINE;
            return head;
        }
        keepAlive = http11 ? !headers.containsToken("Connection", "close")
                : headers.containsToken("Connection", "keep-alive") && !headers.containsToken("Connection", "close");
        bodyBytes = 0;
        if (method.equals("CONNECT") && status < 300) {
            keepAlive = false;  // a tunnel now, whatever framing fields it holds: they are ignored (RFC 9110 §9.3.6)
            state = State.END_PENDING;
            return head;
        }
        if (status == 204) {
            if (Framing.isChunked(headers) || Framing.contentLength(headers) > 0) {
                keepAlive = false;  // it says a body follows, which a 204 has not: those bytes are no next response
            }
            state = State.END_PENDING;
            return head;
        }
        if (method.equals("HEAD") || status == 304) {
            state = State.END_PENDING;  // its framing fields describe the body a GET would get (RFC 9112 §6.1, §6.3)
            return head;
        }
        boolean chunked = Framing.isChunked(headers);
        long length = Framing.contentLength(headers);
        if (chunked) {
            if (length >= 0 || !http11) {
                keepAlive = false;  // RFC 9112 §6.1, §6.3: a framing a proxy may have got wrong; do not trust what follows
            }
            state = State.CHUNK_SIZE;
        } else if (length >= 0) {
            if (limits.maxBodyBytes() >= 0 && length > limits.maxBodyBytes()) {
                throw new HttpProtocolException("the response's Content-Length " + length + " is over "
                        + limits.maxBodyBytes() + " bytes (ResponseLimits.maxBodyBytes)");
            }
            contentLength = length;
            remaining = length;
            state = State.FIXED_BODY;
        } else {
            keepAlive = false;
            state = State.UNTIL_CLOSE;
        }
        return head;
    }

    // ---- chunks ----

    /** {@code 1a; ext=1} (RFC 9112 §7.1): hex digits, then optional whitespace and extensions, which are ignored. */
    private long parseChunkSize() throws HttpProtocolException {
        long size = 0;
        int i = lines.start;
        for (; i < lines.end; i++) {
            int d = Character.digit(lines.buffer.get(i), 16);
            if (d < 0) {
                break;
            }
            if (size > (Long.MAX_VALUE >> 4)) {
                throw new HttpProtocolException("malformed chunked body: the chunk size "
                        + HttpChars.excerpt(lines.buffer, lines.start, lines.end) + " overflows 63 bits, after " + bodyBytes
                        + " body bytes");
            }
            size = size << 4 | d;
        }
        if (i == lines.start || (i < lines.end && lines.buffer.get(i) != ';' && lines.buffer.get(i) != ' '
                && lines.buffer.get(i) != '\t')) {
            throw new HttpProtocolException("malformed chunked body: bad chunk-size line "
                    + HttpChars.excerpt(lines.buffer, lines.start, lines.end) + " after " + bodyBytes
                    + " body bytes; expected hex digits, as in \"1a\" or \"1a;ext=x\"");
        }
        return size;
    }
}
