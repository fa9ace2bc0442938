package dev.weft.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which concurrent steps happen, asserted as kotlinx.coroutines' tests do: every step says which it must
 * be ({@code expect(1)}, {@code expect(2)}, ...), and the test ends with {@code finish(n)}. A step out of order throws
 * where it happens, and the first such error is thrown again by {@link #finish}, so an error raised inside a callback
 * or an unawaited task cannot go unseen. Thread-safe.
 */
public final class Steps {
    private final List<String> trace = new ArrayList<>();
    private int done;
    private AssertionError firstError;

    /** Record the step, which must be the {@code step}-th. */
    public synchronized void expect(int step) {
        done++;
        trace.add(step + (step == done ? "" : "(as " + done + ")") + " on " + Thread.currentThread().getName());
        if (step != done) {
            AssertionError error = new AssertionError("expected step " + step + " but it was step " + done
                    + "; steps so far: " + trace);
            if (firstError == null) {
                firstError = error;
            }
            throw error;
        }
    }

    /** Record the last step, which must be the {@code step}-th, and throw the first error any step raised. */
    public synchronized void finish(int step) {
        try {
            expect(step);
        } finally {
            if (firstError != null) {
                throw firstError;
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "Steps" + trace;
    }
}
