package dev.weft.scope;

import dev.weft.loop.Body;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.VoidBody;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * Deadlines for a block of code in a task, as asyncio's {@code timeout()} and trio's {@code fail_after}:
 *
 * <pre>{@code
 * byte[] flag = Timeout.after(Duration.ofSeconds(5), () -> download(cc));
 * }</pre>
 *
 * <p>How: a timer on the loop cancels the current task when the deadline passes, so the body sees a
 * {@link CancellationException} at the await it is suspended in. When that exception leaves the body, the scope turns
 * it into a {@link DeadlineExceededException} only if its own timer fired and, once it has taken back its own
 * cancellation request ({@link Task#uncancel()}), no other request reaches the scope's code ({@link
 * Task#isCancelRequested()}: one from outside a {@code Tasks.shielded} block the scope runs in does not). Anything
 * else passes through unchanged: a cancellation from outside stays a CancellationException (even if the deadline passed
 * at the same time), and in nested scopes only the one whose deadline expired reports the timeout; the others see its
 * DeadlineExceededException go by. The timer is cancelled when the body ends.
 *
 * <p>A deadline that has already passed at entry cancels the task at once: the body runs until its first await, which
 * throws, and the scope times out. A body that never awaits returns normally.
 *
 * <p>A body that catches the CancellationException and returns normally ends the scope normally, with its value.
 * The body's own exceptions come out as themselves, checked ones declared: {@code Timeout.after(d, () ->
 * reader.readLine())} throws the {@code IOException} the read throws. The DeadlineExceededException's message names
 * the limit and where the body was suspended when it expired.
 *
 * <p>To let one step finish even when its caller times out, await it through {@link Futures#shield}.
 */
public final class Timeout {
    /** Durations beyond this (about 146 years) mean "never"; it keeps deadline arithmetic from overflowing. */
    private static final long NEVER_NANOS = 1L << 62;

    private Timeout() {
    }

    /**
     * Run the body, cancelling it if it runs longer than the timeout. Inside a task only.
     *
     * @throws E                         what the body throws
     * @throws DeadlineExceededException if the timeout expired first (caused by the body's CancellationException)
     * @throws CancellationException     if the task was cancelled for any other reason
     * @throws dev.weft.loop.InvalidStateException outside a task
     */
    public static <T, E extends Exception> T after(Duration timeout, Body<T, E> body) throws E {
        return within(timeout, body, false);
    }

    /** {@link #after(Duration, Body)} for a body without a value. */
    public static <E extends Exception> void after(Duration timeout, VoidBody<E> body) throws E {
        within(timeout, body.returningNull(), false);
    }

    /**
     * Run the body, cancelling it at the deadline, in nanoseconds on the loop's clock ({@link EventLoop#time()}).
     * Inside a task only.
     *
     * @throws E                         what the body throws
     * @throws DeadlineExceededException if the deadline passed first
     * @throws CancellationException     if the task was cancelled for any other reason
     */
    public static <T, E extends Exception> T at(long deadlineNanos, Body<T, E> body) throws E {
        return until(deadlineNanos, body, false);
    }

    /** {@link #at(long, Body)} for a body without a value. */
    public static <E extends Exception> void at(long deadlineNanos, VoidBody<E> body) throws E {
        until(deadlineNanos, body.returningNull(), false);
    }

    /**
     * {@link #after}, but return null when the timeout expires. Null is then ambiguous with a body that returns null.
     *
     * @throws E                     what the body throws
     * @throws CancellationException if the task was cancelled for any other reason
     */
    public static <T, E extends Exception> T orNull(Duration timeout, Body<T, E> body) throws E {
        return within(timeout, body, true);
    }

    /**
     * {@link #at}, but return null when the deadline passes.
     *
     * @throws E                     what the body throws
     * @throws CancellationException if the task was cancelled for any other reason
     */
    public static <T, E extends Exception> T orNullAt(long deadlineNanos, Body<T, E> body) throws E {
        return until(deadlineNanos, body, true);
    }

    private static <T, E extends Exception> T within(Duration timeout, Body<T, E> body, boolean orNull) throws E {
        Objects.requireNonNull(timeout, "timeout");
        Task<?> task = currentTask(orNull ? "Timeout.orNull" : "Timeout.after");
        long nanos = timeout.compareTo(Duration.ofNanos(NEVER_NANOS)) > 0 ? NEVER_NANOS : timeout.toNanos();
        Expiry expiry = new Expiry(task, orNull ? "Timeout.orNull" : "Timeout.after", timeout, !orNull);
        return enter(expiry, task.loop().time() + nanos, body, orNull);
    }

    private static <T, E extends Exception> T until(long deadlineNanos, Body<T, E> body, boolean orNull) throws E {
        Task<?> task = currentTask(orNull ? "Timeout.orNullAt" : "Timeout.at");
        return enter(new Expiry(task, orNull ? "Timeout.orNullAt" : "Timeout.at", deadlineNanos, !orNull),
                deadlineNanos, body, orNull);
    }

    private static Task<?> currentTask(String operation) {
        return ScopeSupport.currentTask(operation, "a timeout cancels the task that runs the body");
    }

    private static <T, E extends Exception> T enter(Expiry expiry, long deadline, Body<T, E> body, boolean orNull)
            throws E {
        Objects.requireNonNull(body, "body");
        Task<?> task = expiry.task;
        EventLoop loop = task.loop();
        TimerHandle timer = null;
        if (deadline - loop.time() <= 0) {
            expiry.run(); // already late: the body's first await throws
        } else {
            timer = loop.callAt(deadline, expiry);
        }
        T value;
        try {
            value = body.call();
        } catch (CancellationException cancelled) {
            if (expiry.fired) {
                task.uncancel(); // exactly once per firing, here or below
                if (!task.isCancelRequested()) { // ours: no other request reaches this code
                    if (orNull) {
                        return null;
                    }
                    throw new DeadlineExceededException(expiry + " expired" + expiry.where + "; allow more time, "
                            + "or use Timeout.orNull to take expiry as no result", cancelled);
                }
            }
            throw cancelled;
        } catch (Throwable failure) {
            if (expiry.fired) {
                task.uncancel();
            }
            throw failure; // E or unchecked, as itself
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        if (expiry.fired) {
            task.uncancel(); // the body absorbed our cancellation: take the request back all the same
        }
        return value;
    }

    /** The timer's callback: cancel the task, and remember that this scope did. */
    private static final class Expiry implements Runnable {
        private final Task<?> task;
        private final String operation;
        private final Object limit; // the Duration, or the deadline in nanoseconds
        private final long enteredAt;
        private final boolean saysWhere; // whether its message will be read: not for orNull
        private final int shieldDepth;   // where the scope was entered: its cancellation reaches that deep
        boolean fired;
        String where = "";

        Expiry(Task<?> task, String operation, Object limit, boolean saysWhere) {
            this.task = task;
            this.operation = operation;
            this.limit = limit;
            this.enteredAt = task.loop().time();
            this.saysWhere = saysWhere;
            this.shieldDepth = task.shieldDepth(); // made on the task's own thread, as the scope is entered
        }

        @Override
        public void run() {
            fired = true;
            if (saysWhere && Task.currentOrNull() != task) {
                where = " while " + SuspendedAt.describe(task.stackTrace()); // where the body was when time ran out
            }
            task.cancelAtDepth("deadline of " + this + " expired", shieldDepth);
        }

        /** Built only when needed: a scope that ends in time never pays for the text. */
        @Override
        public String toString() {
            return limit instanceof Duration duration ? operation + "(" + duration + ")"
                    : operation + "(" + limit + " ns), entered at " + enteredAt + " ns on the loop clock,";
        }
    }
}
