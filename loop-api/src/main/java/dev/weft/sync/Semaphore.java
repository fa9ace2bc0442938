package dev.weft.sync;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Tasks;
import dev.weft.loop.VoidBody;

import java.util.concurrent.CancellationException;

/**
 * A counter of permits for the tasks of one loop, as asyncio's {@code Semaphore}: {@link #acquire()} takes a permit,
 * suspending the task while none is free; {@link #release()} gives one back, and any task or callback may release.
 *
 * <pre>{@code
 * Semaphore downloads = new Semaphore(10);
 * byte[] flag = downloads.withPermit(() -> fetch(cc));
 * }</pre>
 *
 * <p>First come, first served: a release with tasks waiting hands its permit straight to the first of them, so no
 * newcomer takes it in between. A waiter cancelled while waiting leaves the queue; one cancelled after a permit was
 * handed to it, before it ran, passes the permit on as it leaves. No permit is lost or counted twice.
 *
 * <p>Bound to the loop it is first used on, and confined to it: see {@link dev.weft.sync}.
 */
public sealed class Semaphore extends LoopBound permits BoundedSemaphore {
    private final Waiters<Boolean> waiters = new Waiters<>();
    private int permits; // free permits; never positive while a task waits

    /**
     * A semaphore with this many free permits.
     *
     * @throws IllegalArgumentException if permits is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + " needs a number of permits >= 0, got " + permits);
        }
        this.permits = permits;
    }

    /**
     * Take a permit, suspending the task until one is free and every earlier waiter has had one.
     *
     * @throws CancellationException if the task is cancelled while waiting; it holds no permit then
     * @throws IllegalStateException if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public void acquire() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        if (permits > 0) {
            permits--;
            return;
        }
        Future<Boolean> waiter = waiters.add(loop, this, "acquire");
        waiters.await(waiter, granted -> passOn()); // granted, then cancelled: the next waiter gets the permit
    }

    /** Take a permit if one is free now, without waiting; returns whether one was taken. */
    public boolean tryAcquire() {
        loop();
        if (permits > 0) {
            permits--;
            return true;
        }
        return false;
    }

    /** Give a permit back: to the first waiting task if any, else to the free count. */
    public void release() {
        loop();
        checkRelease(permits);
        passOn();
    }

    /** A hook for {@link BoundedSemaphore}: refuse a release, given the free permits. */
    void checkRelease(int freePermits) {
    }

    private void passOn() {
        if (waiters.wakeNext(Boolean.TRUE) == null) {
            permits++;
        }
    }

    /**
     * Run the body holding a permit, and release it however the body ends; return the body's value. The body's
     * exceptions come out as themselves, checked ones declared.
     *
     * @throws E                     what the body throws
     * @throws CancellationException if cancelled while waiting for a permit; the body has not run then
     */
    public <T, E extends Exception> T withPermit(Body<T, E> body) throws E {
        return holding(this::acquire, this::release, body);
    }

    /** {@link #withPermit(Body)} for a body without a value. */
    public <E extends Exception> void withPermit(VoidBody<E> body) throws E {
        holding(this::acquire, this::release, body.returningNull());
    }

    /** The permits free now; 0 while tasks wait. */
    public int availablePermits() {
        loop();
        return permits;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + "[permits=" + permits + "]";
    }
}
