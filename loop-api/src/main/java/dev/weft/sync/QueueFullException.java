package dev.weft.sync;

import dev.weft.loop.InvalidStateException;

/**
 * {@link AsyncQueue#putNow} found the queue full (asyncio's {@code QueueFull}). An IllegalStateException, as
 * {@link java.util.Queue#add} throws for a full queue.
 */
public class QueueFullException extends InvalidStateException {
    public QueueFullException(String message) {
        super(message);
    }
}
