package dev.weft.supervise;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a supervisor waits before it restarts a child: none, a fixed delay, or one that doubles with each restart
 * of that child within the supervisor's intensity period, up to a cap. A child that stays up for a whole period starts
 * again from the first delay. The supervisor waits on its loop's clock, so a test on virtual time waits for nothing.
 *
 * @param first the delay before the first restart (zero: none)
 * @param cap   the longest delay; equal to {@code first} for a fixed delay
 */
public record Backoff(Duration first, Duration cap) {
    /** Restart at once. */
    public static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO);

    /**
     * A backoff of these delays.
     *
     * @throws IllegalArgumentException if a delay is negative, or the cap is below the first delay
     */
    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 <= first <= cap, got first=" + first
                    + ", cap=" + cap);
        }
    }

    /** The same delay before every restart. */
    public static Backoff fixed(Duration delay) {
        return new Backoff(delay, delay);
    }

    /** {@code first} before the first restart, then twice the last delay each time, at most {@code cap}. */
    public static Backoff exponential(Duration first, Duration cap) {
        return new Backoff(first, cap);
    }

    /** The delay before a restart of a child restarted {@code recentRestarts} times before within the period. */
    Duration delay(int recentRestarts) {
        Duration delay = first;
        for (int i = 0; i < recentRestarts && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) < 0 ? delay : cap;
    }
}
