package dev.weft.net;

import java.nio.ByteBuffer;

/** What a stream transport calls back, on its loop, in this order: made, received / EOF / pause / resume, lost. */
public interface StreamProtocol {

    /** The connection is up; keep the transport to write to it. */
    default void connectionMade(StreamTransport transport) {
    }

    /**
     * Bytes arrived; the buffer is valid only during this call. Writing this very buffer (not a slice of it) to a
     * transport of the same loop during the call is fine: the transport keeps what it has not sent yet (an echo or a
     * proxy needs no copy of its own).
     */
    void dataReceived(ByteBuffer data);

    /**
     * The peer half-closed. Return true to keep the transport open for writing; false closes it.
     */
    default boolean eofReceived() {
        return false;
    }

    /** The write buffer went past the high water mark: stop writing until {@link #resumeWriting()}. */
    default void pauseWriting() {
    }

    /** The write buffer drained below the low water mark. */
    default void resumeWriting() {
    }

    /**
     * The connection is gone: closed by us (null), or broken — by the peer or the OS, as a
     * {@link dev.weft.loop.BrokenResourceException} whose message is the same on every backend and whose cause is the
     * backend's own exception (see {@link SocketErrors}); a TLS layer's failure as an {@link javax.net.ssl.SSLException};
     * a callback of this protocol that threw, as what it threw. Called once, last.
     *
     * <p>Protocol callbacks cannot throw checked exceptions, which is why the I/O errors of protocol mode arrive here
     * rather than from {@link StreamTransport#write}; that one throws only the unchecked
     * {@link TransportClosedException}, once the transport is closing.
     */
    default void connectionLost(Throwable cause) {
    }
}
