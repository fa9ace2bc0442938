package dev.weft.loop;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's timers, in two parts: a run of timers each due no earlier than the one before (a FIFO), and a binary heap
 * by deadline for the rest. Most programs set timers of a few fixed durations (a sleep, a request's timeout), so most
 * deadlines come in order and cost O(1) to add and fire; a million sleeping tasks spent a third of a microsecond each
 * sifting a heap of a million when all were in the heap. The others cost O(log n). Cancelled timers stay until they reach
 * the head, unless they grow to half of all; then both parts are rebuilt without them, so a program that schedules and
 * cancels many timeouts does not keep their callbacks alive. Loop thread only, but for {@link #countCancelled()}.
 */
final class TimerQueue {
    private static final int MIN_PURGE = 100;

    private final ArrayDeque<TimerHandle> inOrder = new ArrayDeque<>();
    private final PriorityQueue<TimerHandle> heap = new PriorityQueue<>();
    private final AtomicInteger cancelled = new AtomicInteger();

    void add(TimerHandle timer) {
        TimerHandle last = inOrder.peekLast();
        if (last == null || timer.compareTo(last) > 0) {
            inOrder.addLast(timer);
        } else {
            heap.add(timer);
        }
    }

    /** Thread-safe: a handle may be cancelled from anywhere. */
    void countCancelled() {
        cancelled.incrementAndGet();
    }

    int size() {
        return inOrder.size() + heap.size();
    }

    /** The earliest live deadline, or empty. Drops cancelled timers from the head and purges when they pile up. */
    TimerHandle next() {
        int dead = cancelled.get();
        if (dead > MIN_PURGE && dead * 2 > size()) {
            inOrder.removeIf(TimerQueue::dropIfCancelled);
            heap.removeIf(TimerQueue::dropIfCancelled);
            cancelled.set(0);
        }
        TimerHandle head;
        while ((head = earliest()) != null && head.isCancelled()) {
            removeEarliest(head);
        }
        return head;
    }

    /** Move every timer whose deadline is not after {@code now} to the ready queue, earliest first. */
    void moveDue(long now, ArrayDeque<Runnable> ready) {
        TimerHandle head;
        while ((head = earliest()) != null && head.when() - now <= 0) {
            removeEarliest(head);
            if (!head.isCancelled()) {
                ready.add(head);
            }
        }
    }

    private TimerHandle earliest() {
        TimerHandle first = inOrder.peekFirst();
        TimerHandle top = heap.peek();
        if (first == null || top == null) {
            return first != null ? first : top;
        }
        return first.compareTo(top) < 0 ? first : top;
    }

    private void removeEarliest(TimerHandle head) {
        if (head == inOrder.peekFirst()) {
            inOrder.pollFirst();
        } else {
            heap.poll();
        }
        head.queued = false;
    }

    private static boolean dropIfCancelled(TimerHandle timer) {
        timer.queued = !timer.isCancelled();
        return !timer.queued;
    }
}
