package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tasks waiting for a change of state (a drained write buffer, a closed connection, a server gone idle). Each waiter
 * awaits a future of its own, so cancelling one task (which cancels the future it awaits) cannot disturb the others;
 * futures complete with a value only, never a failure, so a cancelled waiter leaves nothing unretrieved behind. A woken
 * waiter looks at the state again: a wake-up says "something changed", not what. Used on its loop only.
 */
final class WaitList {
    /** Durations beyond this (about 146 years) mean "never"; it keeps deadline arithmetic from overflowing. */
    private static final long NEVER_NANOS = 1L << 62;

    private final List<Future<Void>> waiting = new ArrayList<>(2);

    /** Suspend the calling task until {@link #wakeAll()}. */
    void await(EventLoop loop) {
        Future<Void> waiter = loop.createFuture();
        waiting.add(waiter);
        try {
            waiter.await();
        } finally {
            waiting.remove(waiter);
        }
    }

    /** Suspend the calling task until {@link #wakeAll()} or the deadline; returns false if the deadline passed first. */
    boolean await(EventLoop loop, long deadlineNanos) {
        Future<Void> waiter = loop.createFuture();
        boolean[] expired = {false};
        TimerHandle timer = loop.callAt(deadlineNanos, () -> {
            if (!waiter.isDone()) {
                expired[0] = true;
                waiter.setResult(null);
            }
        });
        waiting.add(waiter);
        try {
            waiter.await();
            return !expired[0];
        } finally {
            waiting.remove(waiter);
            timer.cancel();
        }
    }

    /** The deadline that is {@code timeout} from now on the loop's clock, saturating instead of overflowing. */
    static long deadline(EventLoop loop, Duration timeout) {
        long now = loop.time();
        long nanos = timeout.compareTo(Duration.ofNanos(NEVER_NANOS)) > 0 ? NEVER_NANOS : timeout.toNanos();
        return now + Math.max(0, nanos);
    }

    /**
     * Suspend the calling task until a future others may await too is done, through a future of its own: cancelling
     * the task then cancels only that one, not the shared future.
     */
    static void awaitDone(EventLoop loop, Future<?> shared) {
        if (shared.isDone()) {
            return;
        }
        Future<Void> mine = loop.createFuture();
        Consumer<Future<?>> relay = done -> {
            if (!mine.isDone()) {
                mine.setResult(null);
            }
        };
        shared.addDoneCallback(relay);
        try {
            mine.await();
        } finally {
            shared.removeDoneCallback(relay);
        }
    }

    void wakeAll() {
        for (Future<Void> waiter : List.copyOf(waiting)) {
            if (!waiter.isDone()) {
                waiter.setResult(null);
            }
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }
}
