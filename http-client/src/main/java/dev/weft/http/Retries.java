package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.ClosedResourceException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One hop sent as a {@link RetryPolicy} says: attempt after attempt, a wait between them on the loop's timers, until
 * an answer that is not retried, a failure that is not, the last attempt, or a wait that would pass the total
 * deadline. A retried answer is read off (a short body) or its connection closed before the wait.
 */
final class Retries {
    /** One attempt at the hop. */
    @FunctionalInterface
    interface Exchanger {
        HttpResponse exchange(OutgoingRequest hop, Attempt attempt) throws IOException;
    }

    private Retries() {
    }

    static HttpResponse send(OutgoingRequest hop, Attempt first, RetryPolicy policy, Deadline deadline,
                             Exchanger exchanger) throws IOException {
        boolean mayRetry = policy.maxAttempts() > 1 && policy.methods().contains(hop.method()) && hop.replayable();
        Attempt attempt = first;
        while (true) {
            HttpResponse response;
            String reason;
            Duration wait;
            try {
                response = exchanger.exchange(hop, attempt);
            } catch (IOException e) {
                reason = mayRetry ? retryableFailure(e, attempt.stage()) : null;
                wait = reason == null ? null : waitBefore(policy, attempt, null, deadline);
                if (wait == null) {
                    throw e;
                }
                attempt = retry(attempt, wait, reason);
                continue;
            }
            reason = mayRetry && policy.statuses().contains(response.status()) ? "status " + response.status() : null;
            wait = reason == null ? null : waitBefore(policy, attempt, response, deadline);
            if (wait == null) {
                return response;
            }
            release(response);
            attempt = retry(attempt, wait, reason);
        }
    }

    /** Why a failure may be cured by another attempt, or null if it may not. */
    static String retryableFailure(IOException failure, Attempt.Stage stage) {
        if (failure instanceof HttpTimeoutException timeout) {
            return switch (timeout.kind()) {
                case CONNECT, READ -> timeout.kind().name().toLowerCase(java.util.Locale.ROOT) + " timeout";
                default -> null; // the total deadline is spent; a pool or write wait is no server's hiccup
            };
        }
        if (failure instanceof ClosedResourceException) {
            return null; // closed on this side: the session is closing
        }
        return switch (stage) {
            case CONNECTING -> failure instanceof ConnectException || failure instanceof NoRouteToHostException
                    ? "connect failed: " + failure.getMessage() : null; // DNS and TLS failures do not cure themselves
            case SENDING -> "the connection broke before any byte of the answer: " + failure.getMessage();
            case ANSWERED -> null;
        };
    }

    /** The wait before the next attempt, or null if there is none to be made. */
    private static Duration waitBefore(RetryPolicy policy, Attempt attempt, HttpResponse response, Deadline deadline) {
        if (attempt.number() >= policy.maxAttempts()) {
            return null;
        }
        Duration wait = response == null ? null : RetryAfter.of(response.headers(), System.currentTimeMillis());
        if (wait != null && wait.compareTo(policy.maxRetryAfter()) > 0) {
            return null; // the server asks for longer than the caller will wait: its answer is the answer
        }
        if (wait == null) {
            wait = policy.backoff(attempt.number(), ThreadLocalRandom.current());
        }
        return deadline.leavesRoomFor(wait) ? wait : null;
    }

    /** Give a retried answer's connection back: kept if its short body can be read off, else closed. */
    private static void release(HttpResponse response) {
        try {
            response.discard();
        } catch (IOException e) {
            // The body broke off: discard closed the connection, and the next attempt makes or takes another.
        }
    }

    private static Attempt retry(Attempt attempt, Duration wait, String reason) {
        attempt.retrying(wait, reason);
        Async.sleep(wait);
        return attempt.next();
    }
}
