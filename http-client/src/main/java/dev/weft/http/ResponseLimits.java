package dev.weft.http;

/**
 * How much of a response the client accepts before it gives up with an {@link HttpProtocolException} naming the
 * limit. Strict by default: a server that sends an endless status line or header section cannot make the client
 * buffer it.
 *
 * @param maxStatusLineBytes    the longest status line, without its line end; chunk-size lines are held to it too
 * @param maxHeaderBytes        the largest header section (every field line with its line end, and the empty line);
 *                              trailers of a chunked body get the same budget
 * @param maxHeaders            the most header fields (and, separately, trailer fields) in one response
 * @param maxBodyBytes          the largest body as it comes on the wire (before any decompression), or -1 for no limit
 * @param maxDecompressionRatio the most decoded bytes per compressed byte a gzip or deflate body may expand to, once
 *                              it has produced more than 1 MiB (smaller bodies can do no harm); -1 turns the
 *                              guard off
 */
public record ResponseLimits(int maxStatusLineBytes, int maxHeaderBytes, int maxHeaders, long maxBodyBytes,
                             int maxDecompressionRatio) {

    /** 8 KiB status line, 64 KiB header section, 100 fields, no body limit, a ratio of 100. */
    public static final ResponseLimits DEFAULTS = new ResponseLimits(8 * 1024, 64 * 1024, 100, -1, 100);

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
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
