package dev.weft.vthreads;

import dev.weft.loop.BrokenResourceException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * The JDK's socket errors, made to say which address they are about, typed as on the nio backend: the JDK already maps
 * errno to a type ({@code ECONNREFUSED} to ConnectException, {@code EHOSTUNREACH} to NoRouteToHostException,
 * {@code EADDRINUSE} to BindException) but its messages name no address. These keep the type, name the address, and
 * keep the original as the cause.
 */
final class VirtualThreadErrors {
    private VirtualThreadErrors() {
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code example.org:80}, or the path of a Unix socket. */
    static String describe(SocketAddress address) {
        return switch (address) {
            case null -> "(unbound)";
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address && !inet.isUnresolved() ->
                    "[" + inet.getHostString() + "]:" + inet.getPort();
            case InetSocketAddress inet -> inet.getHostString() + ":" + inet.getPort();
            case UnixDomainSocketAddress unix -> unix.getPath().toString();
            default -> address.toString();
        };
    }

    /** A failed connect: refused and unreachable keep their distinct types; anything else is a ConnectException. */
    static IOException connectFailed(IOException error, SocketAddress address) {
        String where = describe(address);
        IOException named = switch (error) {
            case NoRouteToHostException e -> new NoRouteToHostException("host unreachable: " + where + reason(e));
            case ConnectException e when mentions(e, "refused") -> new ConnectException("connection refused: " + where);
            default -> new ConnectException("cannot connect to " + where + reason(error));
        };
        named.initCause(error);
        return named;
    }

    /** A failed bind or listen: BindException when the address is taken or not ours. */
    static IOException listenFailed(IOException error, SocketAddress address) {
        String where = describe(address);
        IOException named = switch (error) {
            case BindException e when mentions(e, "in use") -> new BindException("address already in use: " + where);
            case BindException e -> new BindException("cannot bind " + where + reason(e));
            case SocketException e -> new SocketException("cannot listen on " + where + reason(e));
            default -> new IOException("cannot listen on " + where + reason(error));
        };
        named.initCause(error);
        return named;
    }

    /** A connection that broke while open: reset, broken pipe, timed out by keep-alive. */
    static BrokenResourceException broken(IOException error, SocketAddress peer) {
        return new BrokenResourceException("connection with " + describe(peer) + " broken" + reason(error), error);
    }

    static String describe(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static boolean mentions(IOException error, String words) {
        return error.getMessage() != null && error.getMessage().toLowerCase(Locale.ROOT).contains(words);
    }

    private static String reason(IOException error) {
        return " (" + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()) + ")";
    }
}
