package dev.weft.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a plain send and a plain receive of an unbuffered channel meet without its lock: one waiter at a time, a task
 * spinning on its loop for the answer, waits here; the other side finds it with one read and answers it with one
 * compare-and-set. Between two loops on two cores a hand-off then moves this object's cache line from one core to the
 * other and back, and nothing else, where a hand-off through the lock moved the lock's line, the waiter's and the
 * queue node's (issue 15's cross-loop goal).
 *
 * <p>Everything but the lane — waiters that cannot spin (a thread, a task whose loop has work), waiters past their
 * spin, selects, a second waiter — goes through the channel's lock and queues, and whoever holds the lock serves the
 * lane's waiter first, as the oldest. The two meet without a gap: a waiter posts itself here and then looks whether
 * the lock is free and the queues empty ({@code Channel.quiet}), and leaves for the queues if not; a holder of the
 * lock took it before looking here. Of two sides doing this at once, at least one sees the other. A waiter leaves
 * holding the lock and queues at the front: nobody newer can take the lane or the queue's head meanwhile. What is begun
 * after the channel closed never meets a waiter here: both sides look at {@code closed} first.
 *
 * <p>The states of {@link #state}, and who moves it on:
 * <ul>
 *   <li>null: free. A receiver posts a fresh node; a sender posts {@link #BUSY}, then its item in {@link #offered},
 *       then a fresh node.</li>
 *   <li>a node: a waiter, a sender if {@link #offered} holds its item, else a receiver. Whoever answers it replaces
 *       the node (unique, so an answer never lands on a later waiter): {@link #TAKEN} or {@link #REFUSED} for a sender,
 *       {@link #DELIVERED} (then the item in {@code offered}) or {@link #CLOSED} for a receiver. Or the waiter takes it
 *       back.</li>
 *   <li>a verdict: it stays until the waiter reads it and frees the lane; only the waiter does.</li>
 * </ul>
 * So nobody waits for anyone here but a waiter for its answer, and a receiver for the item between a deliverer's two
 * stores.
 */
final class Lane {
    private static final Object BUSY = new Object();
    private static final Object TAKEN = new Object();
    private static final Object REFUSED = new Object();
    private static final Object DELIVERED = new Object();
    private static final Object CLOSED = new Object();
    private static final VarHandle STATE;
    private static final VarHandle OFFERED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lane.class, "state", Object.class);
            OFFERED = MethodHandles.lookup().findVarHandle(Lane.class, "offered", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object state;
    /** The waiting sender's item, or the item delivered to the waiting receiver; null otherwise. */
    private volatile Object offered;

    private static boolean isWaiter(Object state) {
        return state != null && state != BUSY && state != TAKEN && state != REFUSED && state != DELIVERED
                && state != CLOSED;
    }

    // ---- answering a waiter (either side, with or without the channel's lock)

    /** Hand the item to a receiver waiting here; false if none is. */
    boolean deliver(Object item) {
        Object waiting = state;
        if (isWaiter(waiting) && offered == null && STATE.compareAndSet(this, waiting, DELIVERED)) {
            OFFERED.setRelease(this, item); // the receiver spins until it sees it
            return true;
        }
        return false;
    }

    /** Take the item of a sender waiting here, or null if none is. */
    Object take() {
        Object waiting = state;
        Object item;
        // the item read belongs to the node compared: a node leaves once and never comes back, and its item is set
        // before it arrives and cleared after it left
        if (isWaiter(waiting) && (item = offered) != null && STATE.compareAndSet(this, waiting, TAKEN)) {
            return item;
        }
        return null;
    }

    /** The channel closed (under its lock): a waiting sender is refused, a waiting receiver sees the end. */
    void close() {
        Object waiting = state;
        if (isWaiter(waiting)) {
            STATE.compareAndSet(this, waiting, offered != null ? REFUSED : CLOSED);
        }
    }

    /** Who waits here: true a sender, false a receiver, null nobody. */
    Boolean waitingSender() {
        return isWaiter(state) ? offered != null : null;
    }

    // ---- a sender waiting here

    /** Wait here with the item: the sender's node, or null if the lane is not free. */
    Object postSender(Object item) {
        if (state != null) {
            return null;
        }
        Object node = new Object(); // before BUSY: an allocation that failed there would leave the lane BUSY for good
        if (!STATE.compareAndSet(this, null, BUSY)) {
            return null;
        }
        OFFERED.setRelease(this, item); // published by the store of the node
        state = node;
        return node;
    }

    /** Whether the sender's wait is answered: its item taken, or the channel closed. */
    boolean answered(Object sender) {
        return state != sender;
    }

    /** Stop waiting unanswered: true if left, false if answered first (then {@link #sent}). */
    boolean leaveAsSender(Object sender) {
        if (!STATE.compareAndSet(this, sender, BUSY)) {
            return false;
        }
        OFFERED.setRelease(this, null);
        state = null;
        return true;
    }

    /** Once answered: free the lane and say whether the item was taken (false: the channel was closed). */
    boolean sent() {
        boolean taken = state == TAKEN;
        OFFERED.setRelease(this, null);
        state = null;
        return taken;
    }

    // ---- a receiver waiting here

    /** Wait here for an item: the receiver's node, or null if the lane is not free. */
    Object postReceiver() {
        if (state != null) {
            return null;
        }
        Object node = new Object();
        return STATE.compareAndSet(this, null, node) ? node : null;
    }

    /** Whether the receiver's wait is answered: an item delivered (its second store done), or the channel closed. */
    boolean delivered() {
        return offered != null || state == CLOSED;
    }

    /** Stop waiting unanswered: true if left, false if answered first (then {@link #received}). */
    boolean leaveAsReceiver(Object receiver) {
        return STATE.compareAndSet(this, receiver, null);
    }

    /**
     * Once answered: free the lane and return the item, or null if the channel was closed. A receiver that failed to
     * leave may find the deliverer between its compare-and-set and its store of the item, two instructions apart,
     * and waits for the second.
     */
    Object received() {
        Object item;
        while ((item = offered) == null && state != CLOSED) {
            Thread.onSpinWait(); // a deliverer between its two stores
        }
        OFFERED.setRelease(this, null);
        state = null;
        return item;
    }
}
