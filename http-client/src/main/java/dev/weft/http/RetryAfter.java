package dev.weft.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The wait a response's {@code Retry-After} asks for (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date, which is
 * measured from the response's own {@code Date} when it has one, so the server's clock and ours need not agree.
 */
final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * The wait, never negative, or null if the response has no {@code Retry-After} or one that is neither form.
     *
     * @param nowMillis our wall clock, for a date when the response has no {@code Date}
     */
    static Duration of(HttpHeaders headers, long nowMillis) {
        String value = headers.first("Retry-After");
        if (value == null) {
            return null;
        }
        value = value.strip();
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLong) {
                return Duration.ofSeconds(Long.MAX_VALUE); // longer than any limit: not waited for
            }
        }
        Long at = epochMillis(value);
        if (at == null) {
            return null;
        }
        Long serverNow = epochMillis(headers.first("Date"));
        long now = serverNow != null ? serverNow : nowMillis;
        return Duration.ofMillis(Math.max(0, at - now));
    }

    /** An IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the form RFC 9110 says senders use. */
    private static Long epochMillis(String date) {
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
