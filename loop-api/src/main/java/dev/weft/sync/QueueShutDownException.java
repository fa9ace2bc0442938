package dev.weft.sync;

import dev.weft.loop.InvalidStateException;

/**
 * The {@link AsyncQueue} was shut down (asyncio's {@code QueueShutDown}): it takes no more items, and once it is empty
 * it hands out none. A state of the queue, not an I/O failure, hence unchecked.
 */
public class QueueShutDownException extends InvalidStateException {
    public QueueShutDownException(String message) {
        super(message);
    }
}
