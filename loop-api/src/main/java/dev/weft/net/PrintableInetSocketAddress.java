package dev.weft.net;

import java.io.Serial;
import java.net.InetSocketAddress;

/**
 * An InetSocketAddress that prints as {@code host:port} ({@link Addresses#format}). It adds no state and overrides
 * nothing else: InetSocketAddress's {@code equals} and {@code hashCode} compare what the two hold, not their classes,
 * so it equals a plain InetSocketAddress of the same host, address and port, both ways.
 */
final class PrintableInetSocketAddress extends InetSocketAddress {
    @Serial
    private static final long serialVersionUID = 1L;

    private PrintableInetSocketAddress(java.net.InetAddress address, int port) {
        super(address, port);
    }

    /** A copy of a resolved address (an unresolved one keeps the JDK's class: see {@link Addresses#printable}). */
    static PrintableInetSocketAddress of(InetSocketAddress address) {
        return new PrintableInetSocketAddress(address.getAddress(), address.getPort());
    }

    @Override
    public String toString() {
        return Addresses.format(this);
    }
}
