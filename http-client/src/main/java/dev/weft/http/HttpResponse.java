package dev.weft.http;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;

/**
 * A response whose head has arrived; its body is read on demand, whole ({@link #bytes()}, {@link #text()},
 * {@link #json}) or chunk by chunk ({@link #readChunk()}), decompressed if the server compressed it. Close it (with
 * try-with-resources): a response read to its end gives its connection back to the pool by itself, and one closed
 * before its end closes the connection, which cannot carry another request before the rest is read.
 *
 * <p>Confined to the task's loop; one reader at a time.
 */
public final class HttpResponse implements AutoCloseable {
    /** The most of a body {@link #discard()} reads to keep a connection rather than close it. */
    private static final int DISCARD_LIMIT = 64 * 1024;

    private final String method;
    private final URI url;
    private final ResponseEvent.Head head;
    private final BodySource exchange;
    private final ContentDecoder decoder;
    private final ObjectMapper json;
    private boolean ended;
    private long decodedBytes; // the body handed out so far, decompressed
    private ByteBuffer raw;    // the body as it came, not all decoded yet
    private List<HttpResponse> history = List.of();

    HttpResponse(String method, URI url, ResponseEvent.Head head, BodySource exchange, ObjectMapper json)
            throws HttpProtocolException {
        this.method = method;
        this.url = url;
        this.head = head;
        this.exchange = exchange;
        this.decoder = ContentDecoder.forEncoding(head.headers().first("Content-Encoding"),
                exchange.limits().maxDecompressionRatio());
        this.json = json;
    }

    /**
     * A response made here, not received: what an {@link Interceptor} answers with (a cache, a fake). Its body is
     * decompressed as its {@code Content-Encoding} says, as a received one would be; its reason phrase is empty.
     *
     * @throws IllegalArgumentException if the status is not 100 to 999, or the {@code Content-Encoding} is one this
     *                                  client cannot decode
     */
    public static HttpResponse of(OutgoingRequest request, int status, HttpHeaders headers, byte[] body) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("an HTTP status has three digits, 100 to 999: " + status);
        }
        try {
            return new HttpResponse(request.method(), request.url(), new ResponseEvent.Head(status, "", headers, true),
                    new BufferedBody(body), PlainJson.MAPPER);
        } catch (HttpProtocolException e) {
            throw new IllegalArgumentException("cannot make a response of " + request + ": " + e.getMessage(), e);
        }
    }

    public int status() {
        return head.status();
    }

    public String reason() {
        return head.reason();
    }

    public HttpHeaders headers() {
        return head.headers();
    }

    /** The URL this response answers. */
    public URI url() {
        return url;
    }

    /** The redirects that led here, first first, each closed; empty if none. */
    public List<HttpResponse> history() {
        return history;
    }

    void history(List<HttpResponse> redirects) {
        this.history = List.copyOf(redirects);
    }

    /** Its exchange: a WebSocket handshake takes the connection over from it. */
    Exchange exchange() {
        return (Exchange) exchange; // a handshake's answer came from the network: never one an interceptor made
    }

    /**
     * Read and drop what is left of a short body, so the connection can carry another request, then close: what a
     * redirect's response gets. A body longer than {@link #DISCARD_LIMIT} closes the connection instead.
     */
    void discard() throws IOException {
        long read = 0;
        try {
            for (ByteBuffer chunk = readChunk(); chunk != null && read <= DISCARD_LIMIT; chunk = readChunk()) {
                read += chunk.remaining();
            }
        } finally {
            close();
        }
    }

    /** Whether the status is 2xx. */
    public boolean ok() {
        return status() >= 200 && status() < 300;
    }

    /**
     * This response, if its status is below 400.
     *
     * @throws HttpStatusException for 4xx and 5xx; the response is closed
     */
    public HttpResponse raiseForStatus() throws HttpStatusException {
        if (status() >= 400) {
            close();
            throw new HttpStatusException(status(), reason(), method, url);
        }
        return this;
    }

    /**
     * The next part of the body, decompressed, or null at its end. A chunk is the response's own: keep it as long as
     * you like.
     */
    public ByteBuffer readChunk() throws IOException {
        while (!ended) {
            if ((raw == null || !raw.hasRemaining()) && !decoder.hasPendingOutput()) {
                raw = exchange.nextBodyChunk();
                if (raw == null) {
                    ended = true;
                    finishDecoding();
                    exchange.finish(0); // read to its end: the connection goes back to the pool
                    return null;
                }
            }
            ByteBuffer decoded = decode(raw); // a bounded part of it: a bomb's chunk comes out a piece at a time
            checkBodyLimit(decoded.remaining());
            if (decoder.passesThrough()) {
                return decoded; // a slice of the connection's own read, nobody else's
            }
            if (decoded.hasRemaining()) {
                return copyOf(decoded); // the decoder's buffer is reused by its next call
            }
        }
        return null;
    }

    private ByteBuffer decode(ByteBuffer raw) throws HttpProtocolException {
        try {
            return decoder.decode(raw);
        } catch (HttpProtocolException e) {
            throw failed(e);
        }
    }

    private void finishDecoding() throws HttpProtocolException {
        try {
            decoder.finish();
        } catch (HttpProtocolException e) {
            throw failed(e);
        }
    }

    /**
     * A body refused on this side (it does not decode, or passes a limit) fails its exchange: the connection is given
     * up, as after any HttpProtocolException, whatever is left of the body.
     */
    private HttpProtocolException failed(HttpProtocolException e) {
        decoder.close();
        exchange.abandon();
        return e;
    }

    /** The parser bounds the body as sent; this bounds it as decompressed, which a small gzip can make huge. */
    private void checkBodyLimit(int more) throws HttpProtocolException {
        decodedBytes += more;
        long limit = exchange.limits().maxBodyBytes();
        if (limit >= 0 && decodedBytes > limit) {
            throw failed(new HttpProtocolException("the body of " + method + " " + url + " decompressed past " + limit
                    + " bytes (ResponseLimits.maxBodyBytes); raise the limit, or read it with readChunk() as it comes"));
        }
    }

    /**
     * The whole body, decompressed.
     *
     * @throws HttpProtocolException if it is longer than {@link ResponseLimits#maxBufferedBodyBytes} (64 MiB by
     *                               default), naming the limit; the connection is then closed. Read a larger body
     *                               with {@link #readChunk()}, or raise the limit.
     */
    public byte[] bytes() throws IOException {
        int cap = exchange.limits().bufferedBodyCap();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (ByteBuffer chunk = readChunk(); chunk != null; chunk = readChunk()) {
            if (chunk.remaining() > cap - body.size()) {
                throw failed(new HttpProtocolException("the body of " + method + " " + url + " is longer than "
                        + cap + " bytes, the most read whole (ResponseLimits.maxBufferedBodyBytes): read it with "
                        + "readChunk() as it comes, or raise the limit with ResponseLimits.withMaxBufferedBodyBytes"));
            }
            if (chunk.hasArray()) {
                body.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            } else {
                byte[] copy = new byte[chunk.remaining()];
                chunk.get(copy);
                body.write(copy);
            }
        }
        return body.toByteArray();
    }

    /**
     * The whole body as text, in the charset of its {@code Content-Type}, else UTF-8; held to the same limit as
     * {@link #bytes()}.
     */
    public String text() throws IOException {
        return new String(bytes(), charset(StandardCharsets.UTF_8));
    }

    /**
     * The whole body as JSON, read into the type with the session's Jackson {@code ObjectMapper}; held to the same
     * limit as {@link #bytes()}.
     */
    public <T> T json(Class<T> type) throws IOException {
        return json.readValue(bytes(), type);
    }

    /** The charset the {@code Content-Type} names, or the fallback if it names none (or one this JVM lacks). */
    public Charset charset(Charset fallback) {
        String type = headers().first("Content-Type");
        if (type == null) {
            return fallback;
        }
        for (String parameter : type.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").strip());
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }

    /**
     * Give the connection back: to the pool if the body was read to its end, or if what is left of it is here already
     * and short ({@value #DISCARD_LIMIT} bytes at most); else it is closed. Never waits. Idempotent.
     */
    @Override
    public void close() {
        decoder.close();
        exchange.finish(DISCARD_LIMIT);
    }

    /** The mapper a made response reads JSON with: Jackson's defaults, made once, when first needed. */
    private static final class PlainJson {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static ByteBuffer copyOf(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
        copy.put(buffer).flip();
        return copy;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + method + " " + url + " -> " + status() + " " + reason() + "]";
    }
}
