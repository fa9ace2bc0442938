package dev.weft.netty;

import io.netty.channel.unix.DomainSocketAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/** Addresses between the JDK's types, which Weft's SPI speaks, and Netty's ({@link DomainSocketAddress}). */
final class NettyAddresses {
    private NettyAddresses() {
    }

    /**
     * The address as Netty takes it.
     *
     * @throws IllegalArgumentException      for an unresolved address
     * @throws UnsupportedOperationException for an address that is neither IP nor Unix domain
     */
    static SocketAddress toNetty(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        return switch (address) {
            case InetSocketAddress inet when inet.isUnresolved() -> throw new IllegalArgumentException(
                    "unresolved address " + inet.getHostString() + ":" + inet.getPort()
                            + ": resolve it first (Streams.openConnection resolves host names)");
            case InetSocketAddress inet -> inet;
            case UnixDomainSocketAddress unix -> new DomainSocketAddress(unix.getPath().toString());
            default -> throw new UnsupportedOperationException(
                    "not an IP or Unix domain socket address: " + address.getClass().getName());
        };
    }

    /** The address as the SPI reports it: Unix socket paths as {@link UnixDomainSocketAddress}. */
    static SocketAddress fromNetty(SocketAddress address) {
        if (address instanceof DomainSocketAddress unix) {
            return UnixDomainSocketAddress.of(unix.path());
        }
        return address;
    }

    static boolean isTcp(SocketAddress address) {
        return address instanceof InetSocketAddress;
    }
}
