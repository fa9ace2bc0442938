package dev.weft.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Finds the lines of a response's head in the buffers a transport hands over, without copying: a line that lies
 * whole in one buffer is given as indexes into it, and only a line split across reads is copied, into a buffer of
 * its own that the caller's limit bounds. A line ends in CRLF or, as RFC 9112 §2.2 lets a recipient accept, a bare LF.
 */
final class LineReader {
    private byte[] partial = new byte[256];
    private ByteBuffer partialView = ByteBuffer.wrap(partial);
    private int partialLength;
    private boolean overLimit;

    /** The last line found: {@code [start, end)} of {@code buffer}, without its line end. */
    ByteBuffer buffer;
    int start;
    int end;
    /** The bytes the last line took, with its line end. */
    int bytes;

    /**
     * Reads the next line from {@code in}: true if one is complete; false if all of {@code in} was kept for later, or
     * if the line takes more than {@code max} bytes with its line end ({@link #overLimit()}).
     */
    boolean read(ByteBuffer in, int max) {
        int from = in.position();
        int to = in.limit();
        int lf = indexOfLf(in, from, to);
        if (lf < 0) {
            int n = to - from;
            if (partialLength + n + 1 > max) {
                overLimit = true;
                return false;
            }
            keep(in, from, n);
            in.position(to);
            return false;
        }
        bytes = partialLength + (lf - from) + 1;
        if (bytes > max) {
            overLimit = true;
            return false;
        }
        if (partialLength == 0) {
            buffer = in;
            start = from;
            end = lf;
        } else {
            keep(in, from, lf - from);
            buffer = partialView;
            start = 0;
            end = partialLength;
            partialLength = 0;
        }
        in.position(lf + 1);
        if (end > start && buffer.get(end - 1) == '\r') {
            end--;
        }
        return true;
    }

    /** Whether the last {@link #read} stopped at its limit. */
    boolean overLimit() {
        return overLimit;
    }

    /** The bytes kept of a line not yet complete. */
    int pending() {
        return partialLength;
    }

    /** Drops a line not yet complete. */
    void clear() {
        partialLength = 0;
        overLimit = false;
    }

    boolean isEmpty() {
        return start == end;
    }

    private static int indexOfLf(ByteBuffer in, int from, int to) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int offset = in.arrayOffset();
            for (int i = from + offset, end = to + offset; i < end; i++) {
                if (a[i] == '\n') {
                    return i - offset;
                }
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void keep(ByteBuffer in, int from, int n) {
        if (partialLength + n > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partial.length * 2, partialLength + n));
            partialView = ByteBuffer.wrap(partial);
        }
        in.get(from, partial, partialLength, n);
        partialLength += n;
    }
}
