package dev.weft.sync;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Tasks;
import dev.weft.loop.VoidBody;

import java.util.concurrent.CancellationException;

/**
 * A mutual-exclusion lock for the tasks of one loop, as asyncio's {@code Lock}: {@link #acquire()} suspends the task,
 * not the loop, and waiters get the lock first come, first served.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * int n = lock.withLock(() -> counter.incrementAndGet());
 * }</pre>
 *
 * <p>Unlike asyncio's, the lock knows its holder: the task that acquired it (or, outside any task, the thread), and
 * only the holder may release it. It is not reentrant: a holder that acquires it again fails at once instead of
 * waiting for itself forever. A task that ends without releasing it leaves it locked: prefer {@link #withLock}.
 *
 * <p>Release hands the lock straight to the first waiter, so no newcomer can take it in between. A waiter cancelled
 * while waiting leaves the queue; one cancelled after the lock was handed to it, before it ran, passes it on to the
 * next waiter as it leaves. The lock is never held by nobody while tasks wait, nor by two.
 *
 * <p>Bound to the loop it is first used on, and confined to it: see {@link dev.weft.sync}.
 */
public final class Lock extends LoopBound {
    private final Waiters<Boolean> waiters = new Waiters<>();
    private Object holder; // a Task, or the Thread that took it outside any task; null when free

    /**
     * Take the lock, suspending the task until it is free and every earlier waiter has had it.
     *
     * @throws CancellationException   if the task is cancelled while waiting; it does not hold the lock then
     * @throws InvalidStateException   if the caller holds it already (it is not reentrant)
     * @throws IllegalStateException   if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public void acquire() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        Object me = caller();
        if (holder == null) { // free means nobody waits: release hands it on whenever someone does
            holder = me;
            return;
        }
        if (holder == me) {
            throw new InvalidStateException(this + ": " + describeHolder(me) + " acquires a lock it holds already; "
                    + "a Lock is not reentrant; release it first, or restructure so the inner code does not lock");
        }
        Future<Boolean> waiter = waiters.add(loop, this, "acquire");
        waiters.await(waiter, granted -> passOn()); // granted, then cancelled: the next waiter gets it
    }

    /** Take the lock if it is free now, without waiting; returns whether it was taken. */
    public boolean tryAcquire() {
        loop();
        if (holder != null) {
            return false;
        }
        holder = caller();
        return true;
    }

    /**
     * Give the lock up: to the first waiter if any, else it becomes free.
     *
     * @throws IllegalMonitorStateException if the caller does not hold it
     */
    public void release() {
        loop();
        Object me = caller();
        if (holder != me) {
            throw new IllegalMonitorStateException(holder == null
                    ? describeHolder(me) + " releases " + this + ", which is not locked; release only after acquire"
                    : describeHolder(me) + " releases " + this + ", which " + describeHolder(holder) + " holds; "
                    + "only the holder may release a lock (use a Semaphore to signal across tasks)");
        }
        passOn();
    }

    private void passOn() {
        holder = waiters.wakeNext(Boolean.TRUE); // the woken task holds it from now: nobody can take it in between
    }

    /**
     * Run the body holding the lock, and release it however the body ends; return the body's value. The body's
     * exceptions come out as themselves, checked ones declared.
     *
     * @throws E                     what the body throws
     * @throws CancellationException if cancelled while waiting for the lock; the body has not run then
     */
    public <T, E extends Exception> T withLock(Body<T, E> body) throws E {
        return holding(this::acquire, this::release, body);
    }

    /** {@link #withLock(Body)} for a body without a value. */
    public <E extends Exception> void withLock(VoidBody<E> body) throws E {
        holding(this::acquire, this::release, body.returningNull());
    }

    /** Whether some task or callback holds the lock. */
    public boolean isLocked() {
        loop();
        return holder != null;
    }

    /** Whether the calling task (or, outside any task, the calling thread) holds the lock. */
    public boolean isHeldByCurrentTask() {
        loop();
        return holder != null && holder == caller();
    }

    @Override
    public String toString() {
        Object h = holder;
        return "Lock@" + Integer.toHexString(System.identityHashCode(this))
                + (h == null ? "[unlocked]" : "[locked by " + describeHolder(h) + "]");
    }
}
