package dev.weft.net;

import java.io.EOFException;

/**
 * The stream ended before a read got what it asked for: {@link StreamReader#readExactly} before {@code n} bytes,
 * {@link StreamReader#readUntil} before the separator. An {@link EOFException}, so {@code catch (IOException e)} sees
 * it. The bytes that did arrive are consumed and carried here. It has no cause: an end of stream is no backend error.
 */
public class IncompleteReadException extends EOFException {
    private final byte[] partial;
    private final int expected;

    /**
     * @param partial  the bytes read before the end of the stream
     * @param expected how many bytes were asked for, or -1 when a separator was
     */
    public IncompleteReadException(String message, byte[] partial, int expected) {
        super(message);
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
