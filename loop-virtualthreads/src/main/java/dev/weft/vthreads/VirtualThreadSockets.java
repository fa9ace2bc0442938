package dev.weft.vthreads;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/** The vthreads backend's socket helpers beyond {@link dev.weft.net.JdkSockets}. */
final class VirtualThreadSockets {
    private VirtualThreadSockets() {
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
