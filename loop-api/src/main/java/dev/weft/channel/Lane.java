package dev.weft.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a plain send and a plain receive of an unbuffered channel meet without its lock: one waiter at a time, a task
 * spinning on its loop for the answer, waits here; the other side finds it with one read and answers it with one
 * compare-and-set, which takes the waiter out of the slot (freeing it at once, or, for a sender, two stores later).
 * Between two loops on two cores a hand-off then moves this
 * object's cache line between the cores, and a receiver's own node, and nothing else, where a hand-off through the
 * lock moved the lock's line, the waiter's and the queue node's (issue 15's cross-loop goal).
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
 *   <li>null: free. A receiver posts its {@link Receiver} node; a sender posts {@link #BUSY}, then its item in
 *       {@link #offered}, then a fresh node.</li>
 *   <li>a node: a waiter, a sender if {@code offered} holds its item, else a receiver. Whoever answers it takes the
 *       node out (unique, so an answer never lands on a later waiter) and frees the slot: a receiver's answer (the
 *       item, or the end) goes into its node, which it spins on; a sender's answer is the node's leaving, through
 *       {@code BUSY} while {@code offered} is cleared — taken, unless the channel's close left it in
 *       {@link #refused}. Or the waiter takes itself out.</li>
 *   <li>{@code BUSY}: a sender posting, or a sender's node leaving; a few stores long.</li>
 * </ul>
 * So nobody waits here for anyone but a waiter for its answer: a receiver for its answerer's store after taking it
 * out, a sender, once the channel is closing, for the slot to be past BUSY.
 */
final class Lane {
    private static final Object BUSY = new Object();
    /** What a waiting receiver is given when the channel closes. */
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
    /** The waiting sender's item; null otherwise. */
    private volatile Object offered;
    /** The sender whose wait the channel's close ended; set once, under the channel's lock. */
    private volatile Object refused;
    /** Set before {@link #close} looks at the slot: until then no sender's leaving can be a refusal. */
    private volatile boolean closing;

    /** A receiver waiting here, and where its answer goes. */
    static final class Receiver {
        private static final VarHandle ANSWER;

        static {
            try {
                ANSWER = MethodHandles.lookup().findVarHandle(Receiver.class, "answer", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile Object answer;

        /** Whether it was answered: given an item, or the channel closed. */
        boolean answered() {
            return answer != null;
        }

        /** Once taken out of the lane by an answerer: the item, or null if the channel closed. */
        Object item() {
            Object item;
            for (int looks = 0; (item = answer) == null; looks++) {
                pause(looks); // an answerer between taking the node out and its store of the answer
            }
            return item == CLOSED ? null : item;
        }

        private void answer(Object item) {
            ANSWER.setRelease(this, item); // the receiver spins until it sees it
        }
    }

    /**
     * Wait a moment for another thread's next store: spinning first, then yielding the core, in case that thread was
     * preempted between two stores.
     */
    private static void pause(int looks) {
        if (looks < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private static boolean isWaiter(Object state) {
        return state != null && state != BUSY;
    }

    // ---- answering a waiter (either side, with or without the channel's lock)

    /** Hand the item to a receiver waiting here; false if none is. */
    boolean deliver(Object item) {
        Object waiting = state;
        return isWaiter(waiting) && offered == null && answerReceiver(waiting, item);
    }

    /** Take the item of a sender waiting here, or null if none is. */
    Object take() {
        Object waiting = state;
        Object item;
        // the item read belongs to the node compared: a node leaves once and never comes back, and its item is set
        // before it arrives and cleared after it left
        if (isWaiter(waiting) && (item = offered) != null && takeOutSender(waiting, false)) {
            return item;
        }
        return null;
    }

    /** The channel closed (under its lock): a waiting sender is refused, a waiting receiver sees the end. */
    void close() {
        closing = true;
        Object waiting = state;
        if (isWaiter(waiting)) {
            if (offered == null) {
                answerReceiver(waiting, CLOSED);
            } else {
                takeOutSender(waiting, true);
            }
        }
    }

    /** Take the receiver's node out of the slot, which is then free, and give it the answer; false if it left. */
    private boolean answerReceiver(Object receiver, Object answer) {
        if (!STATE.compareAndSet(this, receiver, null)) {
            return false;
        }
        ((Receiver) receiver).answer(answer);
        return true;
    }

    /**
     * Take the sender's node out of the slot, clear its item and free the slot (recording a refusal first, if it is
     * one); false if it left.
     */
    private boolean takeOutSender(Object sender, boolean refusal) {
        if (!STATE.compareAndSet(this, sender, BUSY)) {
            return false;
        }
        OFFERED.setRelease(this, null);
        if (refusal) {
            refused = sender;
        }
        state = null;
        return true;
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

    /**
     * Whether the sender's wait is answered: its node is out of the slot, and the verdict known. Unless the channel is
     * closing, out means taken; while it closes, a refusal is visible once the slot is past BUSY (which may by then be
     * a later sender's posting: a few stores more).
     */
    boolean answered(Object sender) {
        Object now = state;
        return now != sender && (now != BUSY || !closing);
    }

    /** Stop waiting unanswered: true if left, false if answered first (then {@link #sent}). */
    boolean leaveAsSender(Object sender) {
        return takeOutSender(sender, false);
    }

    /** Once answered: whether the item was taken (false: the channel was closed first). */
    boolean sent(Object sender) {
        for (int looks = 0; !answered(sender); looks++) {
            pause(looks); // a closer between taking the node out and freeing the slot, or a later sender posting
        }
        return refused != sender;
    }

    // ---- a receiver waiting here

    /** Wait here for an item: the receiver's node, or null if the lane is not free. */
    Receiver postReceiver() {
        if (state != null) {
            return null;
        }
        Receiver node = new Receiver();
        return STATE.compareAndSet(this, null, node) ? node : null;
    }

    /** Stop waiting unanswered: true if left, false if answered first (then {@link Receiver#item}). */
    boolean leaveAsReceiver(Receiver receiver) {
        return STATE.compareAndSet(this, receiver, null);
    }
}
