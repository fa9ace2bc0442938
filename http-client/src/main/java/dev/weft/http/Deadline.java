package dev.weft.http;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.scope.Timeout;

import java.io.IOException;
import java.time.Duration;

/**
 * One request's clock: its total deadline, fixed when the request starts, and the per-step limits. A step (a read, a
 * write, a connect) waits until the nearer of its own limit and the total deadline, and the timeout it throws names
 * whichever of the two ran out.
 */
final class Deadline {
    private final EventLoop loop;
    private final HttpTimeouts timeouts;
    private final long totalAt; // on the loop's clock; Long.MAX_VALUE when there is no total limit
    private final String what;  // the request, for messages: "GET http://host/path"

    Deadline(EventLoop loop, HttpTimeouts timeouts, String what) {
        this.loop = loop;
        this.timeouts = timeouts;
        this.totalAt = timeouts.total() == null ? Long.MAX_VALUE : loop.time() + timeouts.total().toNanos();
        this.what = what;
    }

    /** Run the step within its own limit (null: none) and the total deadline. */
    <T> T within(HttpTimeoutException.Kind kind, Duration limit, Body<T, IOException> step) throws IOException {
        long stepAt = limit == null ? Long.MAX_VALUE : loop.time() + limit.toNanos();
        long at = Math.min(stepAt, totalAt);
        if (at == Long.MAX_VALUE) {
            return step.call();
        }
        boolean[] done = {false};
        T value = Timeout.orNullAt(at, () -> {
            T result = step.call();
            done[0] = true;
            return result;
        });
        if (done[0]) {
            return value;
        }
        if (stepAt <= totalAt) {
            throw new HttpTimeoutException(kind, limit, what + ": no " + describe(kind) + " within " + limit
                    + " (the " + kind.name().toLowerCase(java.util.Locale.ROOT) + " timeout of HttpTimeouts)");
        }
        throw new HttpTimeoutException(HttpTimeoutException.Kind.TOTAL, timeouts.total(), what + ": not done within "
                + timeouts.total() + " (the total timeout of HttpTimeouts)");
    }

    /** Whether a wait this long, starting now, ends before the total deadline. */
    boolean leavesRoomFor(Duration wait) {
        return totalAt == Long.MAX_VALUE || loop.time() + wait.toNanos() < totalAt;
    }

    HttpTimeouts timeouts() {
        return timeouts;
    }

    private static String describe(HttpTimeoutException.Kind kind) {
        return switch (kind) {
            case CONNECT -> "connection";
            case READ -> "bytes of the response";
            case WRITE -> "room to write the request";
            default -> kind.name();
        };
    }
}
