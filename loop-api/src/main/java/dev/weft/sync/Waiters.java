package dev.weft.sync;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Consumer;

/**
 * The tasks waiting on a primitive, first come first served: each waits on a future of the primitive's loop that is
 * completed to wake it. Every primitive of this package waits through one of these, so the two cancellation cases are
 * handled in one place:
 *
 * <ul>
 *   <li>cancelled while waiting: the task's cancel cancels its future, which is skipped by every wake-up and removed
 *       when the task resumes;</li>
 *   <li>cancelled after being woken, before it ran: its future holds what it was given (a lock, a permit, an item's
 *       place) but the task resumes into a CancellationException. {@link #await} hands the gift back through the
 *       primitive's callback, which passes it on, so it is neither lost nor held twice.</li>
 * </ul>
 *
 * <p>Futures are completed with a value only, never a failure: a failure that a cancelled task never read would
 * reach the loop's exception handler. Not thread-safe: used on the primitive's loop only.
 */
final class Waiters<T> {
    private final SequencedMap<Future<T>, Task<?>> queue = new LinkedHashMap<>();

    /**
     * Queue the calling task; it waits once it calls {@link #await}.
     *
     * @throws BlockingOnLoopException on a loop thread outside a task
     * @throws InvalidStateException   on a thread that runs no loop
     */
    Future<T> add(EventLoop loop, Object primitive, String operation) {
        Task<?> task = Task.currentOrNull();
        if (task == null) {
            throw cannotWait(loop, primitive, operation);
        }
        Future<T> waiter = loop.createFuture();
        queue.put(waiter, task);
        return waiter;
    }

    /**
     * Wait until woken and return the value given. If the wait ends by an exception instead (the task was cancelled),
     * the waiter leaves the queue, and if it had been woken already, what it was given goes to {@code giveBack}.
     */
    T await(Future<T> waiter, Consumer<? super T> giveBack) {
        try {
            return waiter.await();
        } catch (Throwable t) {
            if (waiter.isDone() && !waiter.isCancelled()) {
                giveBack.accept(waiter.result());
            } else {
                queue.remove(waiter);
                waiter.cancel();
            }
            throw t;
        }
    }

    /** Wake the first waiter still waiting with the value; returns its task, or null if none waits. */
    Task<?> wakeNext(T value) {
        Map.Entry<Future<T>, Task<?>> first;
        while ((first = queue.pollFirstEntry()) != null) {
            if (!first.getKey().isDone()) { // a cancelled waiter is skipped
                first.getKey().setResult(value);
                return first.getValue();
            }
        }
        return null;
    }

    /** Wake every waiter with the value; returns how many were woken. */
    int wakeAll(T value) {
        int woken = 0;
        while (wakeNext(value) != null) {
            woken++;
        }
        return woken;
    }

    /** Whether a waiter was cancelled and has not yet left the queue. */
    boolean anyCancelled() {
        return queue.keySet().stream().anyMatch(Future::isCancelled);
    }

    /** How many still wait: cancelled waiters not counted. */
    int waiting() {
        return (int) queue.keySet().stream().filter(f -> !f.isDone()).count();
    }

    /** Where a primitive would have to wait but the caller is no task: fail as await would, never block. */
    private static InvalidStateException cannotWait(EventLoop loop, Object primitive, String operation) {
        String call = primitive.getClass().getSimpleName() + "." + operation + "()";
        if (loop != null && loop.inLoop()) {
            return new BlockingOnLoopException(call + " has to wait, and waiting");
        }
        return new InvalidStateException(call + " has to wait, and thread '" + Thread.currentThread().getName()
                + "' is no task" + (loop != null ? " while " + LoopBound.describe(loop) + " is idle" : "")
                + ": only a task can wait on " + primitive + "; call it inside a task (Loops.run, Tasks.spawn), or "
                + "from another thread through EventLoop.submit");
    }
}
