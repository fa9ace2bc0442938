package dev.weft.vthreads;

import dev.weft.net.SocketOptions;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * Which kind of socket an address needs, and the {@link SocketOptions} applied to it. Sockets stay in blocking mode:
 * on a virtual thread the JDK parks the thread in its poller instead of blocking a carrier. TCP options are not
 * applied to Unix domain sockets, which have no Nagle algorithm, keep-alive or port to reuse.
 */
final class VirtualThreadSockets {
    private static volatile Boolean reusePortSupported;

    private VirtualThreadSockets() {
    }

    /**
     * The protocol family of a resolved address.
     *
     * @throws IllegalArgumentException      if the address is an unresolved host name
     * @throws UnsupportedOperationException if it is neither an IP nor a Unix domain socket address
     */
    static ProtocolFamily family(SocketAddress address) {
        Objects.requireNonNull(address, "address");
        return switch (address) {
            case InetSocketAddress inet when inet.isUnresolved() -> throw new IllegalArgumentException(
                    "unresolved address " + VirtualThreadErrors.describe(inet) + ": the loop takes resolved "
                            + "addresses; resolve the host name first");
            case InetSocketAddress inet -> inet.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            case UnixDomainSocketAddress unix -> StandardProtocolFamily.UNIX;
            default -> throw new UnsupportedOperationException("the " + VirtualThreadLoopProvider.NAME
                    + " loop has no sockets for " + address.getClass().getName()
                    + "; use an InetSocketAddress or a UnixDomainSocketAddress");
        };
    }

    static boolean isTcp(SocketAddress address) {
        return address instanceof InetSocketAddress;
    }

    /** TCP_NODELAY and SO_KEEPALIVE for TCP; nothing for Unix sockets. */
    static void configureConnection(SocketChannel channel, boolean tcp, SocketOptions options) throws IOException {
        if (tcp) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, options.keepAlive());
        }
    }

    /** SO_REUSEADDR and SO_REUSEPORT for TCP; call before binding. */
    static void configureServer(ServerSocketChannel channel, boolean tcp, SocketOptions options) throws IOException {
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
    static boolean reusePortSupported() {
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

    /** Close, ignoring the error: a socket that fails to close was not open, so nothing is lost. */
    static void closeQuietly(Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to release
            }
        }
    }

    /** The local or remote address, or null if the socket is already closed. */
    static SocketAddress addressOf(java.nio.channels.NetworkChannel channel, boolean local) {
        try {
            if (local) {
                return channel.getLocalAddress();
            }
            return channel instanceof SocketChannel stream ? stream.getRemoteAddress()
                    : ((java.nio.channels.DatagramChannel) channel).getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** A short name for thread names: the port of an IP address, the file name of a Unix socket. */
    static String label(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet -> String.valueOf(inet.getPort());
            case UnixDomainSocketAddress unix when unix.getPath().getFileName() != null ->
                    unix.getPath().getFileName().toString();
            case null, default -> "unbound";
        };
    }
}
