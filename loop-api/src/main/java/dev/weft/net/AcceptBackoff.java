package dev.weft.net;

import dev.weft.loop.RateLimitedLog;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * What a server does when accepting fails for want of file descriptors or kernel memory (EMFILE, ENFILE, ENOBUFS,
 * ENOMEM): the connection stays in the kernel's queue, so accepting again at once would fail again, forever. The
 * server stops accepting for {@link #RETRY_DELAY}, as asyncio does, and says so. That is a condition of the machine,
 * not a bug of the program: a WARNING without a stack trace, not the loop's exception handler, and at most one record
 * per {@link #LOG_PERIOD} for as long as it lasts (the next one says how many were left out). One per server;
 * thread-safe. For backend authors.
 */
public final class AcceptBackoff {
    /** How long a server stops accepting after such a failure. */
    public static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often a lasting failure is logged again. */
    public static final Duration LOG_PERIOD = Duration.ofSeconds(30);

    private final RateLimitedLog exhaustionLog;
    private final RateLimitedLog otherLog;
    private final System.Logger peerLog;

    /** @param logger the backend's logger, {@code "dev.weft.nio"} say */
    public AcceptBackoff(String logger) {
        this.exhaustionLog = new RateLimitedLog(System.getLogger(logger), LOG_PERIOD);
        this.otherLog = new RateLimitedLog(System.getLogger(logger), LOG_PERIOD);
        this.peerLog = System.getLogger(logger);
    }

    /** Whether the accept failed for want of descriptors or memory, so that trying again at once would fail too. */
    public static boolean isExhaustion(Throwable error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("too many open files") || message.contains("no buffer space")
                || message.contains("cannot allocate memory");
    }

    /** Log, rate-limited, that the server on {@code address} failed to accept and waits before it tries again. */
    public void backingOff(SocketAddress address, Throwable error) {
        exhaustionLog.log(Level.WARNING, "weft: server on " + Addresses.format(address) + ": accept failed ("
                + error.getMessage() + "); accepting again in " + SocketErrors.describe(RETRY_DELAY)
                + " (raise the limit with ulimit -n)");
    }

    /**
     * Log an accept that failed for another reason; the server goes on accepting. One that a peer causes (a connection
     * aborted or reset while it waited in the queue) is network weather: DEBUG, one line. Any other (a firewall's
     * EPERM, a protocol error) is a WARNING without a stack trace, rate-limited, since a peer may repeat it at will.
     */
    public void failedOnce(SocketAddress address, Throwable error) {
        String message = "weft: server on " + Addresses.format(address) + ": accept failed (" + error
                + "); accepting goes on";
        if (isPeers(error)) {
            peerLog.log(Level.DEBUG, message);
        } else {
            otherLog.log(Level.WARNING, message);
        }
    }

    private static boolean isPeers(Throwable error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("connection aborted") || message.contains("connection reset");
    }
}
