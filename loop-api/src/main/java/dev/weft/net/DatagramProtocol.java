package dev.weft.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/** What a datagram transport calls back, on its loop: made, then received / error, then lost (once, last). */
public interface DatagramProtocol {

    /** The endpoint is bound (and connected, if a remote address was given); keep the transport to send. */
    default void connectionMade(DatagramTransport transport) {
    }

    /** A datagram arrived from the address; the buffer is valid only during this call. */
    void datagramReceived(ByteBuffer data, SocketAddress from);

    /**
     * A send or receive failed and the endpoint stays open: for example a {@link java.net.PortUnreachableException}
     * (ICMP port unreachable) on a connected endpoint, which Linux reports on the next receive.
     */
    default void errorReceived(Throwable error) {
    }

    /** The endpoint is closed: by us (null), or by an error it cannot survive. Called once, last. */
    default void connectionLost(Throwable cause) {
    }
}
