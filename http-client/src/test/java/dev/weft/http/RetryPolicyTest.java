package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The backoff's ceilings and the two forms of Retry-After; no network. */
class RetryPolicyTest {
    /** Always the top of the range asked for: the ceiling itself. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    /** Always the bottom of the range: zero. */
    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    @Test
    void theBackoffCeilingDoublesUpToTheCap() {
        RetryPolicy policy = RetryPolicy.DEFAULTS.withBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertEquals(Duration.ofMillis(100), policy.backoff(1, HIGHEST));
        assertEquals(Duration.ofMillis(200), policy.backoff(2, HIGHEST));
        assertEquals(Duration.ofMillis(400), policy.backoff(3, HIGHEST));
        assertEquals(Duration.ofMillis(500), policy.backoff(4, HIGHEST));
        assertEquals(Duration.ofMillis(500), policy.backoff(1000, HIGHEST), "no overflow far out");
        assertEquals(Duration.ZERO, policy.backoff(3, LOWEST), "full jitter: from zero up");
    }

    @Test
    void retryAfterInSecondsOrAsADateFromTheResponsesOwnDate() {
        assertEquals(Duration.ofSeconds(3), RetryAfter.of(HttpHeaders.of("Retry-After", "3"), 0));
        assertEquals(Duration.ofSeconds(90), RetryAfter.of(HttpHeaders.of("Retry-After",
                "Sun, 06 Nov 1994 08:51:07 GMT", "Date", "Sun, 06 Nov 1994 08:49:37 GMT"), 0));
        long now = java.time.Instant.parse("1994-11-06T08:49:57Z").toEpochMilli();
        assertEquals(Duration.ofSeconds(70), RetryAfter.of(HttpHeaders.of("Retry-After",
                "Sun, 06 Nov 1994 08:51:07 GMT"), now), "no Date: from our clock");
        assertEquals(Duration.ZERO, RetryAfter.of(HttpHeaders.of("Retry-After",
                "Sun, 06 Nov 1994 08:00:00 GMT"), now), "a date past is no wait");
        assertNull(RetryAfter.of(HttpHeaders.of("Retry-After", "soon"), now));
        assertNull(RetryAfter.of(HttpHeaders.of("Retry-After", "-5"), now));
        assertNull(RetryAfter.of(HttpHeaders.EMPTY, now));
    }

    @Test
    void aPolicyWithoutAFirstAttemptIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetryPolicy.DEFAULTS.withMaxAttempts(0));
        assertEquals("maxAttempts counts the first attempt, so it is 1 or more: 0", e.getMessage());
    }
}
