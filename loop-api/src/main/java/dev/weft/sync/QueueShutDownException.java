package dev.weft.sync;

import dev.weft.loop.ClosedResourceException;

/**
 * The {@link AsyncQueue} was shut down (asyncio's {@code QueueShutDown}): it takes no more items, and once it is empty
 * it hands out none. Closed by its own side, hence a ClosedResourceException.
 */
public class QueueShutDownException extends ClosedResourceException {
    public QueueShutDownException(String message) {
        super(message);
    }
}
