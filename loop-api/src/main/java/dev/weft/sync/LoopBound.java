package dev.weft.sync;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The loop binding every primitive shares, as asyncio's {@code _LoopBoundMixin}: a primitive belongs to the loop it is
 * first used on, and from then on only that loop's tasks and callbacks may use it. Until then, and whenever its loop is
 * idle, the thread that sets things up may use it too, as it may use an idle loop.
 */
abstract class LoopBound {
    private static final VarHandle LOOP;

    static {
        try {
            LOOP = MethodHandles.lookup().findVarHandle(LoopBound.class, "loop", EventLoop.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile EventLoop loop;

    /**
     * Check that the caller may use this primitive and return its loop, binding it to the caller's loop on first use.
     * Returns null for an unbound primitive used from a thread that runs no loop.
     *
     * @throws InvalidStateException if bound to another loop than the caller's
     * @throws WrongThreadException  if called from a thread outside the loop while the loop runs
     */
    final EventLoop loop() {
        EventLoop bound = loop;
        if (bound != null && bound.inLoop()) {
            return bound; // the common case: a task or callback of its own loop
        }
        EventLoop caller = callerLoop();
        if (bound == null) {
            if (caller == null || LOOP.compareAndSet(this, null, caller)) {
                return caller;
            }
            return loop(); // another thread bound it meanwhile
        }
        if (caller == bound) {
            return bound;
        }
        if (caller != null) {
            throw new InvalidStateException(this + " is bound to " + describe(bound)
                    + " (the loop it was first used on) and cannot be used from " + describe(caller)
                    + ": a primitive belongs to one loop; create one per loop, or hand the work to its loop with "
                    + "EventLoop.submit");
        }
        if (bound.isRunning()) {
            throw new WrongThreadException(this + " is confined to " + describe(bound) + ", which is running, and "
                    + "thread '" + Thread.currentThread().getName() + "' runs no loop; use it from a task or callback "
                    + "of its loop, or from other threads through EventLoop.callSoonThreadsafe or EventLoop.submit");
        }
        return bound; // its loop is idle: set-up from any thread, as for the loop itself
    }

    /** The loop bound so far, or null. For messages. */
    final EventLoop boundLoop() {
        return loop;
    }

    /** The loop of the calling task or callback, or null on a thread that runs no loop. */
    private static EventLoop callerLoop() {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return task.loop();
        }
        try {
            return EventLoop.current();
        } catch (InvalidStateException none) {
            return null; // the core has no query that does not throw; see the package notes
        }
    }

    /** A loop named so that two loops of one backend can be told apart in a message. */
    static String describe(EventLoop loop) {
        return "the " + loop.backendName() + " event loop @" + Integer.toHexString(System.identityHashCode(loop));
    }

    /** Who runs now, for ownership: the current task, else the current thread (a loop callback or set-up code). */
    static Object caller() {
        Task<?> task = Task.currentOrNull();
        return task != null ? task : Thread.currentThread();
    }

    /** A holder from {@link #caller()}, for messages. */
    static String describeHolder(Object holder) {
        if (holder instanceof Task<?> task) {
            return "task '" + task.name() + "'";
        }
        return "thread '" + ((Thread) holder).getName() + "' (outside any task)";
    }

    /**
     * Run the body between acquire and release, releasing however it ends; the body's exceptions come out as
     * themselves. What {@code Lock.withLock} and {@code Semaphore.withPermit} share.
     */
    static <T, E extends Exception> T holding(Runnable acquire, Runnable release, Body<T, E> body) throws E {
        acquire.run();
        try {
            return body.call();
        } finally {
            release.run();
        }
    }
}
