package dev.weft.supervise;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The restarts of the last period, to enforce "at most N restarts in T", as OTP's intensity and period: a restart
 * that would be the (N+1)-th within T is refused, and the supervisor gives up. Times are on the loop's clock.
 */
final class Intensity {
    private record Restarted(long at, String child) {
    }

    private final int maxRestarts;
    private final long periodNanos;
    private final Deque<Restarted> recent = new ArrayDeque<>();

    Intensity(int maxRestarts, long periodNanos) {
        this.maxRestarts = maxRestarts;
        this.periodNanos = periodNanos;
    }

    /** Count a restart of the child now, if the limit allows it; false if it does not (nothing is counted then). */
    boolean allow(String child, long now) {
        while (!recent.isEmpty() && now - recent.peekFirst().at() >= periodNanos) {
            recent.removeFirst();
        }
        if (recent.size() >= maxRestarts) {
            return false;
        }
        recent.addLast(new Restarted(now, child));
        return true;
    }

    /** How many restarts of the child the current period holds: what a backoff grows with. */
    int recentRestartsOf(String child) {
        return (int) recent.stream().filter(r -> r.child().equals(child)).count();
    }
}
