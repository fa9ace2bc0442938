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

    private final RateLimitedLog log;
    private final RateLimitedLog otherLog;

    /** @param logger the backend's logger, {@code "dev.weft.nio"} say */
    public AcceptBackoff(String logger) {
        this.log = new RateLimitedLog(System.getLogger(logger), LOG_PERIOD);
        this.otherLog = new RateLimitedLog(System.getLogger(logger), LOG_PERIOD);
    }

    /** Whether the accept failed for want of descriptors or memory, so that trying again at once would fail too. */
    public static boolean isExhaustion(Throwable error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("too many open files") || message.contains("no buffer space")
                || message.contains("cannot allocate memory");
    }

    /** Log, rate-limited, that the server on {@code address} failed to accept and waits before it tries again. */
    public void backingOff(SocketAddress address, Throwable error) {
        log.log(Level.WARNING, "weft: server on " + SocketErrors.describe(address) + ": accept failed ("
                + error.getMessage() + "); accepting again in " + SocketErrors.describe(RETRY_DELAY)
                + " (raise the limit with ulimit -n)");
    }

    /**
     * Log, rate-limited and without a stack trace, an accept that failed for another reason (a connection aborted
     * by its peer while queued, a firewall's EPERM): the server goes on accepting. Whatever causes it, a peer can
     * repeat it at will, so it must not cost a record per connection.
     */
    public void failedOnce(SocketAddress address, Throwable error) {
        otherLog.log(Level.WARNING, "weft: server on " + SocketErrors.describe(address) + ": accept failed ("
                + error + "); accepting goes on");
    }
}
