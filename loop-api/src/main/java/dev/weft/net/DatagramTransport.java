package dev.weft.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A UDP endpoint, as asyncio's datagram transport. Sends never block: a datagram the socket cannot take now is queued
 * and sent, in order, when it can. {@link #close()} sends the queue first; {@link #abort()} drops it.
 */
public interface DatagramTransport extends Transport {

    /**
     * Send the bytes between the buffer's position and limit as one datagram; the transport owns the buffer from now
     * on. Errors of the send itself (a port unreachable, a datagram too large) go to
     * {@link DatagramProtocol#errorReceived}.
     *
     * @param target where to send it; null on a connected endpoint, which sends to its remote address
     * @throws TransportClosedException if the transport is closing
     * @throws IllegalArgumentException              if target is null on an unconnected endpoint, or differs from the
     *                                               remote address of a connected one
     */
    void send(ByteBuffer data, SocketAddress target);

    /** Bytes queued but not yet handed to the socket. */
    int sendBufferSize();
}
