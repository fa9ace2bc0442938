package dev.weft.net;

import dev.weft.loop.BrokenResourceException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that turns what a backend's socket reports into Weft's I/O errors, so that one event reads the same
 * on every backend: the type and the message are Weft's, and the backend's own exception is the cause.
 *
 * <p>Each backend words errno its own way: the JDK ({@code nio}, {@code vthreads}) as "Connection reset" or "Broken
 * pipe" in a {@link SocketException}; Netty ({@code epoll}, {@code io_uring}) as "recvAddress(..) failed with
 * error(-104): Connection reset by peer" in an IOException of its own. This class reads the JDK's types, the errno
 * number Netty prints and the strerror text both print, and only those, so it needs no backend's classes.
 *
 * <table>
 *   <caption>Events, types and messages</caption>
 *   <tr><th>event (errno)</th><th>type</th><th>message</th></tr>
 *   <tr><td>reset, or broken pipe (ECONNRESET, EPIPE)</td><td>{@link BrokenResourceException}</td>
 *       <td>connection reset by peer 127.0.0.1:40312</td></tr>
 *   <tr><td>refused (ECONNREFUSED)</td><td>{@link ConnectException}</td><td>connection refused by 127.0.0.1:9</td></tr>
 *   <tr><td>reset while connecting</td><td>{@link ConnectException}</td>
 *       <td>cannot connect to 127.0.0.1:9: connection reset by peer</td></tr>
 *   <tr><td>host unreachable (EHOSTUNREACH)</td><td>{@link NoRouteToHostException}</td>
 *       <td>no route to 10.0.0.1:80: the host is unreachable</td></tr>
 *   <tr><td>network unreachable (ENETUNREACH)</td><td>{@link NoRouteToHostException}</td>
 *       <td>no route to 224.0.0.1:9: the network is unreachable</td></tr>
 *   <tr><td>connect timed out (ETIMEDOUT, or Weft's connect timeout)</td><td>{@link SocketTimeoutException}</td>
 *       <td>see {@link #connectTimedOut}</td></tr>
 *   <tr><td>address in use (EADDRINUSE)</td><td>{@link BindException}</td>
 *       <td>address already in use: 127.0.0.1:8080</td></tr>
 * </table>
 * For backend authors, and for libraries that open sockets of their own.
 */
public final class SocketErrors {
    /** What Netty's native transports print: "...failed with error(-104): Connection reset by peer". */
    private static final Pattern ERRNO = Pattern.compile("error\\((-?\\d+)\\)");
    /** The part of a Netty message before the strerror text: "recvAddress(..) failed with error(-104): ". */
    private static final Pattern NETTY_PREFIX = Pattern.compile("^\\S*\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");

    private static final int EPIPE = 32;
    private static final int ECONNABORTED = 103;
    private static final int ECONNRESET = 104;
    private static final int ETIMEDOUT = 110;
    private static final int ECONNREFUSED = 111;
    private static final int EHOSTUNREACH = 113;
    private static final int ENETUNREACH = 101;
    private static final int EADDRINUSE = 98;

    private SocketErrors() {
    }

    /** The socket events Weft tells apart; the rest keep the backend's words. */
    enum Event {
        RESET, ABORTED, REFUSED, HOST_UNREACHABLE, NETWORK_UNREACHABLE, TIMED_OUT, ADDRESS_IN_USE, OTHER
    }

    /** Which event {@code error} reports, from its JDK type, the errno Netty prints or the strerror text. */
    static Event classify(Throwable error) {
        String text = error.getMessage() == null ? "" : error.getMessage();
        Matcher errno = ERRNO.matcher(text);
        if (errno.find()) {
            Event event = byErrno(Math.abs(Integer.parseInt(errno.group(1))));
            if (event != Event.OTHER) {
                return event;
            }
        }
        String words = text.toLowerCase(Locale.ROOT);
        if (words.contains("connection reset") || words.contains("broken pipe")) {
            return Event.RESET;
        }
        if (words.contains("connection refused") || error instanceof ConnectException && words.isEmpty()) {
            return Event.REFUSED;
        }
        if (words.contains("network is unreachable")) {
            return Event.NETWORK_UNREACHABLE;
        }
        if (words.contains("no route to host")) {
            return Event.HOST_UNREACHABLE;
        }
        if (error instanceof NoRouteToHostException) {
            // The JDK's says "No route to host" (EHOSTUNREACH, above); Netty throws one without words of its own for
            // ENETUNREACH (and annotates it with the address: "null: /224.0.0.1:9")
            return Event.NETWORK_UNREACHABLE;
        }
        if (words.contains("timed out") || error instanceof SocketTimeoutException) {
            return Event.TIMED_OUT;
        }
        if (words.contains("connection aborted")) {
            return Event.ABORTED;
        }
        if (words.contains("address already in use")) {
            return Event.ADDRESS_IN_USE;
        }
        return Event.OTHER;
    }

    private static Event byErrno(int errno) {
        return switch (errno) {
            case ECONNRESET, EPIPE -> Event.RESET;
            case ECONNABORTED -> Event.ABORTED;
            case ECONNREFUSED -> Event.REFUSED;
            case EHOSTUNREACH -> Event.HOST_UNREACHABLE;
            case ENETUNREACH -> Event.NETWORK_UNREACHABLE;
            case ETIMEDOUT -> Event.TIMED_OUT;
            case EADDRINUSE -> Event.ADDRESS_IN_USE;
            default -> Event.OTHER;
        };
    }

    // ---- connecting

    /**
     * A failed connect to {@code address}: refused, unreachable and timed out get their JDK types
     * ({@link ConnectException}, {@link NoRouteToHostException}, {@link SocketTimeoutException}); anything else is a
     * ConnectException that quotes the backend. The backend's exception is the cause.
     */
    public static IOException connectFailed(Throwable error, SocketAddress address) {
        String where = Addresses.format(address);
        IOException named = switch (classify(error)) {
            case REFUSED -> new ConnectException("connection refused by " + where);
            case RESET -> new ConnectException("cannot connect to " + where + ": connection reset by peer");
            case HOST_UNREACHABLE -> new NoRouteToHostException("no route to " + where + ": the host is unreachable");
            case NETWORK_UNREACHABLE ->
                    new NoRouteToHostException("no route to " + where + ": the network is unreachable");
            case TIMED_OUT -> new SocketTimeoutException("cannot connect to " + where + ": the host did not answer "
                    + "before the system gave up; check that it is up and reachable");
            default -> new ConnectException("cannot connect to " + where + ": " + backendWords(error));
        };
        named.initCause(error);
        return named;
    }

    /**
     * A connect that Weft's own timer ended ({@link SocketOptions#connectTimeout()}): names the target once, the limit,
     * and what to do. No backend exception: nothing failed but the wait.
     *
     * @param target what was being connected to: {@code example.com:443}, {@code 10.0.0.1:80}
     */
    public static SocketTimeoutException connectTimedOut(String target, Duration limit) {
        return new SocketTimeoutException("cannot connect to " + target + " within " + describe(limit)
                + ": no answer; check that the host is up and reachable, or allow longer with "
                + "SocketOptions.withConnectTimeout");
    }

    // ---- listening

    /** A failed bind or listen: BindException when the address is taken or not ours. */
    public static IOException listenFailed(Throwable error, SocketAddress address) {
        String where = Addresses.format(address);
        String words = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        IOException named;
        if (classify(error) == Event.ADDRESS_IN_USE) {
            named = new BindException("address already in use: " + where);
        } else if (error instanceof BindException || words.contains("cannot assign")
                || words.contains("permission denied")) {
            named = new BindException("cannot bind " + where + ": " + backendWords(error));
        } else if (error instanceof SocketException) {
            named = new SocketException("cannot listen on " + where + ": " + backendWords(error));
        } else {
            named = new IOException("cannot listen on " + where + ": " + backendWords(error));
        }
        named.initCause(error);
        return named;
    }

    // ---- an open connection

    /**
     * A connection that broke while open. A reset and a broken pipe are one event — the peer is gone — and read the
     * same: "connection reset by peer 127.0.0.1:40312". The backend's exception is the cause.
     */
    public static BrokenResourceException broken(Throwable error, SocketAddress peer) {
        return new BrokenResourceException(brokenMessage(error, Addresses.format(peer)), error);
    }

    /** What {@link #broken} says about {@code error} on the connection with {@code peer} (as host:port). */
    static String brokenMessage(Throwable error, String peer) {
        if (error instanceof SSLException) {
            return "TLS failed on the connection with " + peer + ": " + backendWords(error);
        }
        return switch (classify(error)) {
            case RESET -> "connection reset by peer " + peer;
            case ABORTED -> "connection with " + peer + " aborted by the system";
            case TIMED_OUT -> "connection with " + peer + " timed out: the peer stopped answering";
            case HOST_UNREACHABLE, NETWORK_UNREACHABLE -> "connection with " + peer + " broke: no route to it any more";
            default -> "connection with " + peer + " broke: " + backendWords(error);
        };
    }

    /**
     * A fresh BrokenResourceException for one more operation that meets a connection lost with {@code cause}: each
     * operation throws from its own stack, with the same message and the backend's exception as the cause.
     */
    static BrokenResourceException brokenAgain(Throwable cause, String peer) {
        if (cause instanceof BrokenResourceException said) {
            return new BrokenResourceException(said.getMessage(), said.getCause());
        }
        return new BrokenResourceException(brokenMessage(cause, peer), cause);
    }

    /**
     * What a protocol-mode operation on a transport that is closing or gone throws: "is closed" if we closed it, "broke"
     * with the loss as the cause if the peer or the OS did.
     */
    public static TransportClosedException closed(String operation, SocketAddress peer, Throwable lostCause) {
        return new TransportClosedException(operation + ": the connection with " + Addresses.format(peer)
                + (lostCause == null ? " is closed" : " broke"), lostCause);
    }

    /** {@code 250 ms}. */
    public static String describe(Duration duration) {
        return duration.toMillis() + " ms";
    }

    /** The backend's strerror text, without Netty's "recvAddress(..) failed with error(-104): " in front. */
    private static String backendWords(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        String words = NETTY_PREFIX.matcher(message).replaceFirst("");
        return words.isEmpty() ? message : Character.toLowerCase(words.charAt(0)) + words.substring(1);
    }
}
