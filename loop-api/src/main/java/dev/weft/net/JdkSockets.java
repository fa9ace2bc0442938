package dev.weft.net;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * For backends built on the JDK's socket channels (nio, vthreads): which kind of socket an address needs, and the
 * {@link SocketOptions} applied to it. Blocking mode is the backend's choice. TCP options are not applied to Unix
 * domain sockets, which have no Nagle algorithm, keep-alive or port to reuse.
 */
public final class JdkSockets {
    private static volatile Boolean reusePortSupported;

    private JdkSockets() {
    }

    /**
     * The protocol family of a resolved address.
     *
     * @throws IllegalArgumentException      if the address is an unresolved host name
     * @throws UnsupportedOperationException if it is neither an IP nor a Unix domain socket address
     */
    public static ProtocolFamily family(SocketAddress address, String backend) {
        Objects.requireNonNull(address, "address");
        return switch (address) {
            case InetSocketAddress inet when inet.isUnresolved() -> throw new IllegalArgumentException(
                    "unresolved address " + Addresses.format(inet) + ": the loop takes resolved "
                            + "addresses; resolve the host name first");
            case InetSocketAddress inet -> inet.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            case UnixDomainSocketAddress unix -> StandardProtocolFamily.UNIX;
            default -> throw new UnsupportedOperationException("the " + backend
                    + " loop has no sockets for " + address.getClass().getName()
                    + "; use an InetSocketAddress or a UnixDomainSocketAddress");
        };
    }

    public static boolean isTcp(SocketAddress address) {
        return address instanceof InetSocketAddress;
    }

    /** TCP_NODELAY and SO_KEEPALIVE for TCP; nothing for Unix sockets. */
    public static void configureConnection(SocketChannel channel, boolean tcp, SocketOptions options) throws IOException {
        if (tcp) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive());
        }
    }

    /** SO_REUSEADDR and SO_REUSEPORT for TCP; call before binding. */
    public static void configureServer(ServerSocketChannel channel, boolean tcp, SocketOptions options) throws IOException {
        if (!tcp) {
            return;
        }
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
        if (options.reusePort()) {
            if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform; "
                        + "listen without SocketOptions.withReusePort(true)");
            }
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }

    /** Whether servers can share a port with SO_REUSEPORT here; probed once. */
    public static boolean reusePortSupported() {
        Boolean known = reusePortSupported;
        if (known == null) {
            try (ServerSocketChannel probe = ServerSocketChannel.open()) {
                known = probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
            } catch (IOException e) {
                known = false;
            }
            reusePortSupported = known;
        }
        return known;
    }

    /**
     * The protocol family of a UDP endpoint's addresses (either may be null; both null: the JDK's default).
     *
     * @throws UnsupportedOperationException for a Unix domain address: the JDK has no Unix datagram sockets
     */
    public static ProtocolFamily datagramFamily(SocketAddress local, SocketAddress remote, String backend) {
        ProtocolFamily family = null;
        for (SocketAddress address : new SocketAddress[]{local, remote}) {
            if (address == null) {
                continue;
            }
            ProtocolFamily of = family(address, backend);
            if (of == StandardProtocolFamily.UNIX) {
                throw new UnsupportedOperationException("the " + backend + " loop has no Unix datagram sockets ("
                        + Addresses.format(address) + "); use an InetSocketAddress");
            }
            if (family == null) {
                family = of;
            }
        }
        return family;
    }

    /** The any-address of a family, port 0: what a UDP endpoint bound to null is bound to. */
    public static SocketAddress wildcard(ProtocolFamily family) {
        return new InetSocketAddress(family == StandardProtocolFamily.INET ? "0.0.0.0" : "::", 0);
    }

    /** SO_REUSEADDR, SO_BROADCAST and SO_REUSEPORT of a UDP endpoint; call before binding. */
    public static void configureDatagram(DatagramChannel channel, DatagramOptions options) throws IOException {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
        channel.setOption(StandardSocketOptions.SO_BROADCAST, options.broadcast());
        if (options.reusePort()) {
            if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw new UnsupportedOperationException("SO_REUSEPORT is not supported on this platform; "
                        + "open the endpoint without DatagramOptions.withReusePort(true)");
            }
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
    }
}
