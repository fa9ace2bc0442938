package dev.weft.channel;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * A channel's queue of waiters — senders, receivers, or those completed under its lock and still to wake — first in,
 * first out. Its head lives in a field of the channel's lock ({@link ChannelLock}: {@link #first()}), the rest in a
 * deque made when a second one waits: in a hand-off between two loops each side queues (and completes) the other in
 * turn, item after item, and the head crosses between their cores with the lock, where an {@code ArrayDeque}'s object
 * and array were two more lines. Under the channel's lock only.
 */
abstract class WaitQueue<E> {
    private ArrayDeque<E> rest;

    /** The head, null only when the queue is empty. */
    abstract E first();

    abstract void first(E head);

    void addLast(E element) {
        if (first() == null) {
            first(element);
        } else {
            if (rest == null) {
                rest = new ArrayDeque<>();
            }
            rest.addLast(element);
        }
    }

    void addFirst(E element) {
        E head = first();
        if (head != null) {
            if (rest == null) {
                rest = new ArrayDeque<>();
            }
            rest.addFirst(head);
        }
        first(element);
    }

    /** The head, taken out; null if the queue is empty. */
    E pollFirst() {
        E head = first();
        if (head != null) {
            first(rest == null ? null : rest.pollFirst());
        }
        return head;
    }

    /** Take the element out, wherever it is; nothing if it is not queued. */
    void remove(E element) {
        if (first() == element) {
            pollFirst();
        } else if (rest != null) {
            rest.removeFirstOccurrence(element);
        }
    }

    /** Take every element out, in order, handing each to {@code action}. */
    void drain(Consumer<E> action) {
        for (E head; (head = pollFirst()) != null; ) {
            action.accept(head);
        }
    }

    /** Whether the queue is empty: one read of the head, so a look from outside the lock is safe (if not current). */
    boolean isEmpty() {
        return first() == null;
    }

    int size() {
        return first() == null ? 0 : 1 + (rest == null ? 0 : rest.size());
    }
}
