package dev.weft.scope;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.TimerHandle;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The grace period a scope gives the tasks it cancels: one that has not ended when it runs out ignores its
 * cancellation (a {@code catch (Exception e)} that swallows it and waits on in a shielded wait or outside Weft, or a
 * wait that is not an await), and the scope says so once, in a WARNING naming the task and where it is stuck, with
 * its stack. The scope still waits for it: nothing a scope started outlives it.
 *
 * <p>Public for Weft's other scopes (a {@code TaskGroup}, a supervisor's stop of a child), so that they warn alike;
 * the records go to the logger {@code dev.weft.scope}.
 */
public final class CancellationGrace {
    /** {@code -Dweft.cancel.grace}: the grace period in seconds (decimals allowed). */
    static final String PROPERTY = "weft.cancel.grace";
    private static final Duration DEFAULT = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger("dev.weft.scope");

    private CancellationGrace() {
    }

    /**
     * Watch the tasks a scope has just cancelled: if one has not ended when the grace period runs out, warn once,
     * naming it and where it is stuck. Cancel the returned timer once they have all ended. On the loop.
     *
     * @param loop     the loop whose clock times the grace period
     * @param stopping the tasks cancelled; read when the period runs out, so a live collection may shrink meanwhile
     * @param scope    who cancelled them, for the message: {@code "the TaskGroup of 'main'"}
     */
    public static TimerHandle watch(EventLoop loop, Collection<Task<?>> stopping, String scope) {
        Duration grace = period();
        return loop.callLater(grace, () -> warn(List.copyOf(stopping), scope, grace));
    }

    private static void warn(List<Task<?>> stopping, String scope, Duration grace) {
        for (Task<?> task : stopping) {
            if (task.isDone()) {
                continue;
            }
            StackTraceElement[] frames = task.stackTrace();
            Throwable stack = new Throwable("the stack of task '" + task.name() + "'");
            stack.setStackTrace(frames);
            LOG.log(Level.WARNING, "weft: " + scope + " cancelled task '" + task.name() + "' " + seconds(grace)
                    + " s ago and it has not ended; it is " + SuspendedAt.describe(frames) + ". A catch (Exception e) "
                    + "that swallows the CancellationException keeps a task going: rethrow it, or call "
                    + "Task.checkCancelled() in loops that do not await", stack);
        }
    }

    static Duration period() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds >= 0 && seconds < 1e9) {
                return Duration.ofNanos((long) (seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.log(Level.WARNING, "weft: -D" + PROPERTY + "=" + value + " is not a number of seconds; using "
                + seconds(DEFAULT));
        return DEFAULT;
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toNanos() / 1e9);
    }
}
