package dev.weft.http;

import java.nio.ByteBuffer;

/**
 * The framing of a chunked request body (RFC 9112 §7.1): for each chunk its size line, the data (the caller's
 * buffer, written as it is), and a CRLF; then the last chunk. Each call returns a fresh buffer the caller may hand to
 * a transport that keeps it.
 */
final class ChunkedBody {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ChunkedBody() {
    }

    /**
     * {@code "1a\r\n"}: the size line of a chunk of {@code size} bytes.
     *
     * @throws IllegalArgumentException if {@code size} is not positive (a chunk of 0 is {@link #lastChunk()})
     */
    static ByteBuffer chunkHeader(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a chunk holds at least one byte, not " + size
                    + "; end the body with lastChunk()");
        }
        int digits = (32 - Integer.numberOfLeadingZeros(size) + 3) / 4;
        byte[] out = new byte[digits + 2];
        for (int i = digits - 1, v = size; i >= 0; i--, v >>>= 4) {
            out[i] = HEX[v & 0xf];
        }
        out[digits] = '\r';
        out[digits + 1] = '\n';
        return ByteBuffer.wrap(out);
    }

    /** {@code "\r\n"}, after a chunk's data. */
    static ByteBuffer chunkEnd() {
        return ByteBuffer.wrap(new byte[] {'\r', '\n'});
    }

    /** {@code "0\r\n\r\n"}: the last chunk, with no trailers. */
    static ByteBuffer lastChunk() {
        return ByteBuffer.wrap(new byte[] {'0', '\r', '\n', '\r', '\n'});
    }
}
