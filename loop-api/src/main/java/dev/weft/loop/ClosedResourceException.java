package dev.weft.loop;

import java.io.IOException;

/**
 * An I/O resource was closed by its own side — a connection, a stream or a server this program closed — and can no
 * longer be used. An {@link IOException}, as the JDK's {@link java.nio.channels.ClosedChannelException} is. A closed
 * event loop is not an I/O resource: using one throws {@link LoopClosedException}.
 */
public class ClosedResourceException extends IOException {
    public ClosedResourceException(String message) {
        super(message);
    }

    /** @param cause why the resource went away, when the peer or the OS broke it before this side closed it */
    public ClosedResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
