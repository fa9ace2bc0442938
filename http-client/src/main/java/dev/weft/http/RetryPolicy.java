package dev.weft.http;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * When a session sends a hop of a request again: opt-in, per session ({@link HttpSessionBuilder#retry}) or per request
 * ({@link HttpRequest#retry}). A hop is sent again, up to {@code maxAttempts} in all, when
 * <ul>
 *   <li>its method is one of {@code methods} (by default the idempotent ones, RFC 9110 §9.2.2), and its body can be
 *       sent again (one in memory can; a streamed one cannot);</li>
 *   <li>and it failed in a way a new attempt may cure: the connect was refused or found no route, the connect or
 *       read timeout ran out, or the connection broke before any byte of an answer came; or the answer's status is
 *       one of {@code statuses} (429, 502, 503, 504 by default);</li>
 *   <li>and the wait before the next attempt ends before the request's total deadline.</li>
 * </ul>
 * The wait is the answer's {@code Retry-After} (seconds or an HTTP-date) if it has one — an answer asking for more
 * than {@code maxRetryAfter} is returned as it is, not retried — else an exponential backoff with full jitter: a
 * random time between zero and {@code min(maxDelay, baseDelay × 2^(retry − 1))}. The wait is a timer on the
 * session's loop ({@code Async.sleep}): cancelling the request cancels it. DNS failures, TLS failures, malformed answers and the
 * total timeout are never retried.
 *
 * @param maxAttempts   attempts in all, the first included: 1 never retries
 * @param baseDelay     the backoff's ceiling before the first retry; doubled before each next one
 * @param maxDelay      the most the backoff waits
 * @param maxRetryAfter the longest {@code Retry-After} waited for
 * @param statuses      the statuses that are retried
 * @param methods       the methods that are retried, upper-case
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter,
                          Set<Integer> statuses, Set<String> methods) {
    /** The methods RFC 9110 §9.2.2 calls idempotent. */
    public static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    /** No retries: every request is sent once. The session's default. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(100), Duration.ofSeconds(10),
            Duration.ofSeconds(60), Set.of(429, 502, 503, 504), IDEMPOTENT);

    /**
     * Three attempts; backoff from 100 ms up to 10 s; {@code Retry-After} up to 60 s; idempotent methods; 429, 502,
     * 503 and 504.
     */
    public static final RetryPolicy DEFAULTS = NONE.withMaxAttempts(3);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts counts the first attempt, so it is 1 or more: "
                    + maxAttempts);
        }
        requireNotNegative("baseDelay", baseDelay);
        requireNotNegative("maxDelay", maxDelay);
        requireNotNegative("maxRetryAfter", maxRetryAfter);
        statuses = Set.copyOf(statuses);
        methods = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** This policy with {@code attempts} in all, the first included. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter, statuses, methods);
    }

    /** Backoff from {@code base} before the first retry, doubling, never more than {@code max}. */
    public RetryPolicy withBackoff(Duration base, Duration max) {
        return new RetryPolicy(maxAttempts, base, max, maxRetryAfter, statuses, methods);
    }

    /** This policy waiting for a {@code Retry-After} of at most {@code limit}; an answer asking more is returned. */
    public RetryPolicy withMaxRetryAfter(Duration limit) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, limit, statuses, methods);
    }

    /** This policy retrying answers of these statuses (none: only failures are retried). */
    public RetryPolicy withStatuses(Integer... retried) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, Set.of(retried), methods);
    }

    /**
     * This policy retrying these methods, and only these: {@code withMethods("GET", "POST")} only where the server
     * makes a repeated POST harmless (an idempotency key, say).
     */
    public RetryPolicy withMethods(String... retried) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, maxRetryAfter, statuses,
                Stream.of(retried).collect(Collectors.toSet()));
    }

    /** The backoff before retry number {@code retry} (1 for the first): full jitter under the doubled ceiling. */
    Duration backoff(int retry, RandomGenerator random) {
        long ceiling = maxDelay.toNanos();
        long base = baseDelay.toNanos();
        if (retry - 1 < Long.numberOfLeadingZeros(Math.max(1, base)) - 1) { // base × 2^(retry − 1) does not overflow
            ceiling = Math.min(ceiling, base << (retry - 1));
        }
        return Duration.ofNanos(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or more: " + value);
        }
    }
}
