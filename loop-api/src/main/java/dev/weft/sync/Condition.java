package dev.weft.sync;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A condition variable over a {@link Lock}, as asyncio's {@code Condition}: a task that holds the lock waits with
 * {@link #await()} until another signals it, and holds the lock again when it returns, however it returns.
 *
 * <pre>{@code
 * cond.lock().withLock(() -> { cond.awaitUntil(() -> !items.isEmpty()); return items.removeFirst(); });
 * }</pre>
 *
 * <p>Signals are named {@code signal}/{@code signalAll} (as in java.util.concurrent) because {@code notify()} and
 * {@code notifyAll()} are final methods of every Java object, with another meaning. Waiters are woken first come, first
 * served; a waiter that is signalled but then cancelled passes the signal on to the next one, so a signal is never
 * lost to a task that will not act on it (it may wake one task too many, which the condition-variable protocol
 * allows: wait in a loop, or with {@link #awaitUntil}).
 *
 * <p>Bound to its lock's loop: see {@link dev.weft.sync}.
 */
public final class Condition {
    private final Lock lock;
    private final Waiters<Boolean> waiters = new Waiters<>();

    /** A condition over a new lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /** A condition over the given lock; several conditions may share one lock. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** The lock to hold around {@link #await()} and the signals. */
    public Lock lock() {
        return lock;
    }

    /**
     * Release the lock, suspend the task until signalled, then take the lock again, and return. The lock is taken again
     * even if the task is cancelled meanwhile; the CancellationException is thrown once the task holds it.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws CancellationException        if the task is cancelled; it holds the lock again
     * @throws IllegalStateException        if the caller is no task (see {@link dev.weft.sync})
     */
    public void await() {
        EventLoop loop = lock.loop();
        requireHeld("await");
        Future<Boolean> waiter = waiters.add(loop, this, "await"); // before the release: a non-task fails holding it
        lock.release();
        RuntimeException failure = null;
        try {
            waiters.await(waiter, signalled -> { }); // the signal is passed on below, once the lock is held again
        } catch (RuntimeException e) {
            failure = e;
        }
        Task<?> task = Task.currentOrNull(); // a task: the waiters took no other caller
        task.shielded(lock::acquire); // even if cancelled meanwhile: the caller's finally blocks expect the lock
        if (failure == null) {
            try {
                task.checkCancelled(); // cancelled while retaking it: the cancellation goes on, lock held
            } catch (CancellationException e) {
                failure = e;
            }
        }
        if (failure != null) {
            if (waiter.isDone() && !waiter.isCancelled()) {
                waiters.wakeNext(Boolean.TRUE); // signalled, but leaving by an exception: wake another instead
            }
            throw failure;
        }
    }

    /**
     * Wait until the predicate holds: check it, and {@link #await()} while it does not. The predicate runs holding the
     * lock.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws CancellationException        if the task is cancelled; it holds the lock again
     */
    public void awaitUntil(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        requireHeld("awaitUntil");
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wake the first waiting task, if any.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wake up to {@code n} waiting tasks, first come first served; returns how many were woken.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     * @throws IllegalArgumentException     if n is negative
     */
    public int signal(int n) {
        requireHeld("signal");
        if (n < 0) {
            throw new IllegalArgumentException("Condition.signal(n) needs n >= 0, got " + n);
        }
        int woken = 0;
        while (woken < n && waiters.wakeNext(Boolean.TRUE) != null) {
            woken++;
        }
        return woken;
    }

    /**
     * Wake every waiting task; returns how many were woken.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public int signalAll() {
        requireHeld("signalAll");
        return waiters.wakeAll(Boolean.TRUE);
    }

    private void requireHeld(String operation) {
        if (!lock.isHeldByCurrentTask()) {
            throw new IllegalMonitorStateException("Condition." + operation + "() needs its lock held by the caller, "
                    + LoopBound.describeHolder(LoopBound.caller()) + ", but " + lock + "; "
                    + "acquire cond.lock() first, e.g. cond.lock().withLock(() -> ...)");
        }
    }

    @Override
    public String toString() {
        return "Condition@" + Integer.toHexString(System.identityHashCode(this)) + "[" + lock + "]";
    }
}
