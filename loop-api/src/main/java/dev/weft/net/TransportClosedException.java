package dev.weft.net;

import dev.weft.loop.InvalidStateException;

/**
 * A protocol-mode call ({@link StreamTransport#write}, {@link StreamTransport#writeEof}, a datagram send) on a
 * transport that is closing or lost. Unchecked, unlike the streams' {@link dev.weft.loop.ClosedResourceException}: a
 * protocol writes from its callbacks, which cannot throw checked exceptions, and by then it has been told (or is about
 * to be told) of the loss through {@code connectionLost}, with the I/O error that caused it. When the peer or the OS
 * broke the connection, the {@link dev.weft.loop.BrokenResourceException} is the cause.
 */
public class TransportClosedException extends InvalidStateException {
    public TransportClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
