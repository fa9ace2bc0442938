package dev.weft.sync;

import java.util.NoSuchElementException;

/**
 * {@link AsyncQueue#getNow} found no item to take (asyncio's {@code QueueEmpty}). A NoSuchElementException, as
 * {@link java.util.Queue#remove} throws for an empty queue.
 */
public class QueueEmptyException extends NoSuchElementException {
    public QueueEmptyException(String message) {
        super(message);
    }
}
