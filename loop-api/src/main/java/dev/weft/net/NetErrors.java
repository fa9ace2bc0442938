package dev.weft.net;

import dev.weft.loop.BrokenResourceException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The wording and typing of the errors streams raise, in one place. */
final class NetErrors {
    private NetErrors() {
    }

    /** {@code host:port}, with brackets around an IPv6 literal; other addresses as they print themselves. */
    static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return hostAndPort(inet.getHostString(), inet.getPort());
        }
        return String.valueOf(address);
    }

    static String hostAndPort(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * A fresh BrokenResourceException for an operation on a connection that was lost with the given cause, so that each
     * operation that meets the loss throws from its own stack, with the transport's error (and its I/O cause) kept.
     */
    static BrokenResourceException broken(String operation, String peer, Throwable cause) {
        if (cause instanceof BrokenResourceException transportSaid) {
            return new BrokenResourceException(operation + ": " + transportSaid.getMessage(), transportSaid.getCause());
        }
        IOException io = cause instanceof IOException e ? e : new IOException(cause.toString(), cause);
        return new BrokenResourceException(operation + ": the connection with " + peer + " broke (" + cause + ")", io);
    }
}
