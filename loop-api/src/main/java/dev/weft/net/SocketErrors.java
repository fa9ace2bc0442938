package dev.weft.net;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;

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
 * Socket errors as every backend reports them, naming the address they are about. The JDK and Netty already map errno
 * to an exception ({@code ECONNREFUSED}, {@code EHOSTUNREACH}, {@code EADDRINUSE}), but not always to the same type and
 * rarely with the address: these keep or restore the JDK's type (ConnectException, NoRouteToHostException,
 * BindException), name the address, and keep the original as the cause. For backend authors.
 */
public final class SocketErrors {
    private SocketErrors() {
    }

    /** {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code example.org:80}, or the path of a Unix socket. */
    public static String describe(SocketAddress address) {
        return switch (address) {
            case null -> "(unbound)";
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address && !inet.isUnresolved() ->
                    "[" + inet.getHostString() + "]:" + inet.getPort();
            case InetSocketAddress inet -> inet.getHostString() + ":" + inet.getPort();
            case UnixDomainSocketAddress unix -> unix.getPath().toString();
            default -> address.toString();
        };
    }

    public static String describe(Duration duration) {
        return duration.toMillis() + " ms";
    }

    /** A failed connect: refused and unreachable keep their distinct types; anything else is a ConnectException. */
    public static IOException connectFailed(IOException error, SocketAddress address) {
        String where = describe(address);
        IOException named = switch (error) {
            case NoRouteToHostException e -> new NoRouteToHostException("host unreachable: " + where + reason(e));
            case IOException e when mentions(e, "refused") -> new ConnectException("connection refused: " + where);
            case IOException e when mentions(e, "no route to host") -> // EHOSTUNREACH, as Netty words it
                    new NoRouteToHostException("host unreachable: " + where + reason(e));
            default -> new ConnectException("cannot connect to " + where + reason(error));
        };
        named.initCause(error);
        return named;
    }

    /** A failed bind or listen: BindException when the address is taken or not ours. */
    public static IOException listenFailed(IOException error, SocketAddress address) {
        String where = describe(address);
        IOException named = switch (error) {
            case IOException e when mentions(e, "in use") -> new BindException("address already in use: " + where);
            case BindException e -> new BindException("cannot bind " + where + reason(e));
            case IOException e when mentions(e, "cannot assign") || mentions(e, "permission denied") ->
                    new BindException("cannot bind " + where + reason(e));
            case SocketException e -> new SocketException("cannot listen on " + where + reason(e));
            default -> new IOException("cannot listen on " + where + reason(error));
        };
        named.initCause(error);
        return named;
    }

    /** A connection that broke while open: reset, broken pipe, timed out by keep-alive. */
    public static BrokenResourceException broken(IOException error, SocketAddress peer) {
        return new BrokenResourceException("connection with " + describe(peer) + " broken" + reason(error), error);
    }

    /**
     * What an operation on a connection that is closing or gone throws: "closed" if we closed it, "broke" with the
     * loss as the cause if the peer or the OS did.
     */
    public static ClosedResourceException closed(String operation, SocketAddress peer, Throwable lostCause) {
        ClosedResourceException error = new ClosedResourceException(operation + ": the connection with "
                + describe(peer) + (lostCause == null ? " is closed" : " broke"));
        if (lostCause != null) {
            error.initCause(lostCause);
        }
        return error;
    }

    private static boolean mentions(IOException error, String words) {
        return error.getMessage() != null && error.getMessage().toLowerCase(Locale.ROOT).contains(words);
    }

    private static String reason(IOException error) {
        return " (" + (error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage()) + ")";
    }
}
