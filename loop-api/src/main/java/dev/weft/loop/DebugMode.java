package dev.weft.loop;

import java.time.Duration;
import java.util.Objects;

/**
 * Debug mode for a loop, as asyncio's {@code loop.set_debug(True)}: off by default, and then costs one branch per
 * step. On, the loop
 * <ul>
 *   <li>warns (logger {@code dev.weft.debug}, WARNING) when one callback or one task step holds it longer than
 *       {@link #slowStep()}, naming the step and where it was created;</li>
 *   <li>has a watchdog thread report it, once per step, when a step has held it longer than {@link #blocked()}, with
 *       the stack of the code holding it: the loop thread's, or the task's when a task step holds it;</li>
 *   <li>records where every future, task and callback was created, and adds it to the warning for a failure nobody
 *       retrieved; and warns, with where it was opened, of a transport, server or session that became garbage
 *       without being closed ({@link LeakWatch});</li>
 *   <li>emits the JFR events {@code dev.weft.SlowStep} and {@code dev.weft.BlockedLoop} where it warns.</li>
 * </ul>
 * Turn it on for every loop with {@code -Dweft.debug=true} (thresholds {@code -Dweft.debug.slowMillis}, default 100,
 * and {@code -Dweft.debug.blockedMillis}, default 1000), or for one loop with {@link EventLoop#setDebug(DebugMode)}.
 *
 * @param slowStep a step that holds the loop longer than this is reported when it ends
 * @param blocked  a step that holds the loop longer than this is reported while it still holds it
 */
public record DebugMode(Duration slowStep, Duration blocked) {
    /** The system property that turns debug mode on for every loop. */
    public static final String PROPERTY = "weft.debug";

    /**
     * @throws IllegalArgumentException if a threshold is not positive
     */
    public DebugMode {
        Objects.requireNonNull(slowStep, "slowStep");
        Objects.requireNonNull(blocked, "blocked");
        if (slowStep.isNegative() || slowStep.isZero() || blocked.isNegative() || blocked.isZero()) {
            throw new IllegalArgumentException("debug thresholds must be positive: slowStep=" + slowStep
                    + ", blocked=" + blocked);
        }
    }

    /** The thresholds of {@code -Dweft.debug.slowMillis} and {@code -Dweft.debug.blockedMillis}, or 100 and 1000 ms. */
    public static DebugMode fromSystemProperties() {
        return new DebugMode(Duration.ofMillis(millis("weft.debug.slowMillis", 100)),
                Duration.ofMillis(millis("weft.debug.blockedMillis", 1000)));
    }

    /** The mode a new loop starts in: {@link #fromSystemProperties()} under {@code -Dweft.debug=true}, else null. */
    static DebugMode forNewLoop() {
        return Boolean.getBoolean(PROPERTY) ? fromSystemProperties() : null;
    }

    private static long millis(String property, long fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + property + "=" + value + " is not a number of milliseconds; "
                    + "give one such as -D" + property + "=" + fallback, e);
        }
    }
}
