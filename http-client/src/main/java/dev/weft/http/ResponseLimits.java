package dev.weft.http;

/**
 * How much of a response the client accepts before it gives up with an {@link HttpProtocolException} naming the
 * limit. Strict by default: a server that sends an endless status line or header section cannot make the client
 * buffer it, nor an endless body make {@link HttpResponse#bytes()} fill the heap. A body read chunk by chunk
 * ({@link HttpResponse#readChunk()}) is bounded only by {@code maxBodyBytes}, off by default: a download may be any
 * size when it is not held in memory whole.
 *
 * @param maxStatusLineBytes    the longest status line, without its line end; chunk-size lines are held to it too
 * @param maxHeaderBytes        the largest header section (every field line with its line end, and the empty line);
 *                              trailers of a chunked body get the same budget
 * @param maxHeaders            the most header fields (and, separately, trailer fields) in one response
 * @param maxBodyBytes          the largest body as it comes on the wire (before any decompression), or -1 for no limit
 * @param maxDecompressionRatio the most decoded bytes per compressed byte a gzip or deflate body may expand to, once
 *                              it has produced more than 1 MiB (smaller bodies can do no harm); -1 turns the
 *                              guard off
 * @param maxBufferedBodyBytes  the largest body, decompressed, that {@link HttpResponse#bytes()}, {@code text()} and
 *                              {@code json} hold in memory whole; -1 for as much as one byte array holds
 */
public record ResponseLimits(int maxStatusLineBytes, int maxHeaderBytes, int maxHeaders, long maxBodyBytes,
                             int maxDecompressionRatio, int maxBufferedBodyBytes) {

    /** The largest byte array a JVM makes (a few bytes under Integer.MAX_VALUE, for the array's header). */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** What {@link #DEFAULTS} holds in memory whole: more than any API answers with, far less than a heap. */
    public static final int DEFAULT_MAX_BUFFERED_BODY_BYTES = 64 * 1024 * 1024;

    /**
     * 8 KiB status line, 64 KiB header section, 100 fields, no body limit, a ratio of 100, 64 MiB read whole.
     */
    public static final ResponseLimits DEFAULTS = new ResponseLimits(8 * 1024, 64 * 1024, 100, -1, 100,
            DEFAULT_MAX_BUFFERED_BODY_BYTES);

    /** @throws IllegalArgumentException if a limit is not positive (or -1 where -1 means none) */
    public ResponseLimits {
        positive("maxStatusLineBytes", maxStatusLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxHeaders", maxHeaders);
        if (maxBodyBytes < -1) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0, or -1 for no limit, not " + maxBodyBytes);
        }
        if (maxDecompressionRatio < 1 && maxDecompressionRatio != -1) {
            throw new IllegalArgumentException(
                    "maxDecompressionRatio must be >= 1, or -1 for no guard, not " + maxDecompressionRatio);
        }
        if (maxBufferedBodyBytes < -1 || maxBufferedBodyBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("maxBufferedBodyBytes must be 0 to " + MAX_ARRAY
                    + " (the largest byte array), or -1 for that, not " + maxBufferedBodyBytes);
        }
    }

    /** The limits given, reading bodies whole up to {@link #DEFAULT_MAX_BUFFERED_BODY_BYTES}. */
    public ResponseLimits(int maxStatusLineBytes, int maxHeaderBytes, int maxHeaders, long maxBodyBytes,
                          int maxDecompressionRatio) {
        this(maxStatusLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, maxDecompressionRatio,
                DEFAULT_MAX_BUFFERED_BODY_BYTES);
    }

    /** These limits, holding bodies read whole up to {@code bytes} (-1: as much as one byte array holds). */
    public ResponseLimits withMaxBufferedBodyBytes(int bytes) {
        return new ResponseLimits(maxStatusLineBytes, maxHeaderBytes, maxHeaders, maxBodyBytes, maxDecompressionRatio,
                bytes);
    }

    /** The most of a body read whole, as a number: -1 resolved to the largest byte array. */
    int bufferedBodyCap() {
        return maxBufferedBodyBytes < 0 ? MAX_ARRAY : maxBufferedBodyBytes;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
