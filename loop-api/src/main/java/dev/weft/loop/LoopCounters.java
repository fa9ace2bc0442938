package dev.weft.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters behind {@link EventLoop#stats()}: one increment per event, kept by the loop's core and its backend.
 *
 * <p>Only the loop counts (its thread, or a task holding its turn), so an increment is a plain read and an opaque
 * write: no lock, no atomic instruction, nothing shared with another writer. Other threads read them opaquely, which
 * sees every count once it is written and never a torn one. That is all a health figure needs, and it costs the hot
 * path no more than the increment itself.
 *
 * <p>The core counts callbacks and tasks. A backend counts its I/O events ({@link #ioEvent()}); the transport base
 * class counts open transports. For backend authors; confined to the loop.
 */
public final class LoopCounters {
    private static final VarHandle CALLBACKS = handle("callbacks");
    private static final VarHandle IO_EVENTS = handle("ioEvents");
    private static final VarHandle TASKS_STARTED = handle("tasksStarted");
    private static final VarHandle TASKS_ENDED = handle("tasksEnded");
    private static final VarHandle TRANSPORTS_OPENED = handle("transportsOpened");
    private static final VarHandle TRANSPORTS_LOST = handle("transportsLost");

    private long callbacks;
    private long ioEvents;
    private long tasksStarted;
    private long tasksEnded;
    private long transportsOpened;
    private long transportsLost;
    private long runStartedAt; // System.nanoTime() as the loop's current run began; on the loop only, as is its reader


    LoopCounters() {
    }

    private static VarHandle handle(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(LoopCounters.class, field, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The backend dispatched one I/O event (a read, an accept, a finished write) to a transport or server. */
    public void ioEvent() {
        IO_EVENTS.setOpaque(this, ioEvents + 1);
    }

    /** A transport of this loop opened. Called by the transport base class. */
    public void transportOpened() {
        TRANSPORTS_OPENED.setOpaque(this, transportsOpened + 1);
    }

    /** A transport of this loop was lost (closed, aborted or broken). Called by the transport base class. */
    public void transportLost() {
        TRANSPORTS_LOST.setOpaque(this, transportsLost + 1);
    }

    void runStarted() {
        runStartedAt = System.nanoTime();
    }

    /** {@link System#nanoTime()} as the loop's current run began. On the loop. */
    long runStartedAt() {
        return runStartedAt;
    }

    /** The loop closed: its backend has released every transport still open, unannounced. */
    void allTransportsGone() {
        TRANSPORTS_LOST.setOpaque(this, Math.max(transportsLost, transportsOpened));
    }

    void callbackRun() {
        CALLBACKS.setOpaque(this, callbacks + 1);
    }

    void taskStarted() {
        TASKS_STARTED.setOpaque(this, tasksStarted + 1);
    }

    void taskEnded() {
        TASKS_ENDED.setOpaque(this, tasksEnded + 1);
    }

    /** The counters now. Thread-safe. */
    LoopStats snapshot() {
        // Ends before starts: both only grow, so a start counted after the read of the ends cannot make the difference
        // negative; an end seen before its start could (opaque reads keep no order between fields), hence the floor.
        long ended = (long) TASKS_ENDED.getOpaque(this);
        long lost = (long) TRANSPORTS_LOST.getOpaque(this);
        long started = (long) TASKS_STARTED.getOpaque(this);
        long opened = (long) TRANSPORTS_OPENED.getOpaque(this);
        return new LoopStats(System.nanoTime(), (long) CALLBACKS.getOpaque(this), (long) IO_EVENTS.getOpaque(this),
                started, (int) Math.max(0, started - ended), (int) Math.max(0, opened - lost));
    }
}
