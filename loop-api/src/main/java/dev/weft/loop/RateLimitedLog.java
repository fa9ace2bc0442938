package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * A log record that repeats — accept failing while file descriptors are exhausted, say — written at most once per
 * period; the next record that gets through says how many were left out. A condition that lasts costs a handful of
 * lines, not a flood, and its first occurrence is never lost. Thread-safe. For backend authors; Weft's log discipline
 * is in docs/design.md ("Logging").
 */
public final class RateLimitedLog {
    private final System.Logger logger;
    private final long periodNanos;
    private long nextAllowed = System.nanoTime(); // guarded by this
    private long suppressed; // guarded by this

    public RateLimitedLog(System.Logger logger, Duration period) {
        this.logger = logger;
        this.periodNanos = period.toNanos();
    }

    /** Write {@code message} at {@code level} unless a record was written less than a period ago; returns whether. */
    public boolean log(Level level, String message) {
        long skipped;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - nextAllowed < 0) {
                suppressed++;
                return false;
            }
            nextAllowed = now + periodNanos;
            skipped = suppressed;
            suppressed = 0;
        }
        logger.log(level, skipped == 0 ? message : message + " (" + skipped + " more like it since the last record)");
        return true;
    }
}
