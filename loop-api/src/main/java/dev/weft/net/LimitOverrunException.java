package dev.weft.net;

/**
 * A read that looks for a separator ({@link StreamReader#readUntil}, {@link StreamReader#readLine}) did not find it
 * within the reader's limit, or found it only past the limit. The reader is left usable; what happened to the buffered
 * bytes is said by the method that threw.
 */
public class LimitOverrunException extends RuntimeException {
    private final int consumed;

    /** @param consumed how many buffered bytes the read looked at (or would have to consume) before it gave up */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** How many buffered bytes the read looked at, or would have had to consume, before it gave up. */
    public int consumed() {
        return consumed;
    }
}
