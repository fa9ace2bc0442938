package dev.weft.sync;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Tasks;

import java.util.concurrent.CancellationException;

/**
 * A flag that tasks can wait for, as asyncio's {@code Event}: {@link #set()} wakes every waiting task at once, in the
 * order they started waiting, and lets later waiters through until {@link #clear()}.
 *
 * <p>Bound to the loop it is first used on, and confined to it: from another thread, set it with
 * {@code loop.callSoonThreadsafe(event::set)}. See {@link dev.weft.sync}.
 */
public final class Event extends LoopBound {
    private final Waiters<Boolean> waiters = new Waiters<>();
    private boolean set;

    /** Set the flag and wake every waiting task; does nothing if already set. */
    public void set() {
        loop();
        if (!set) {
            set = true;
            waiters.wakeAll(Boolean.TRUE);
        }
    }

    /** Clear the flag: later calls to {@link #await()} wait again. Tasks already woken still return. */
    public void clear() {
        loop();
        set = false;
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        loop();
        return set;
    }

    /**
     * Return at once if the flag is set, else suspend the task until it is.
     *
     * @throws CancellationException if the task is cancelled while waiting
     * @throws IllegalStateException if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public void await() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        if (set) {
            return;
        }
        Future<Boolean> waiter = waiters.add(loop, this, "await");
        waiters.await(waiter, woken -> { }); // woken, then cancelled: nothing to give back
    }

    @Override
    public String toString() {
        return "Event@" + Integer.toHexString(System.identityHashCode(this)) + (set ? "[set]" : "[unset]");
    }
}
