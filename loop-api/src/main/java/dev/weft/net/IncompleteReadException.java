package dev.weft.net;

import java.io.EOFException;
import java.io.UncheckedIOException;

/**
 * The stream ended before a read got what it asked for: {@link StreamReader#readExactly} before {@code n} bytes,
 * {@link StreamReader#readUntil} before the separator. The bytes that did arrive are consumed and carried here.
 */
public class IncompleteReadException extends UncheckedIOException {
    private final byte[] partial;
    private final int expected;

    /**
     * @param partial  the bytes read before the end of the stream
     * @param expected how many bytes were asked for, or -1 when a separator was
     */
    public IncompleteReadException(String message, byte[] partial, int expected) {
        super(message, new EOFException(message));
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** The bytes read before the end of the stream (a copy). */
    public byte[] partial() {
        return partial.clone();
    }

    /** How many bytes were asked for, or -1 when the read looked for a separator. */
    public int expected() {
        return expected;
    }
}
