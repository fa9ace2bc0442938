package dev.weft.loop;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's timers: a binary heap by deadline, so adding and firing cost O(log n). Cancelled timers stay in the heap
 * until they reach its head, unless they grow to half of it; then the heap is rebuilt without them, so a program that
 * schedules and cancels many timeouts does not keep their callbacks alive. Loop thread only, but for
 * {@link #countCancelled()}.
 */
final class TimerQueue {
    private static final int MIN_PURGE = 100;

    private final PriorityQueue<TimerHandle> heap = new PriorityQueue<>();
    private final AtomicInteger cancelled = new AtomicInteger();

    void add(TimerHandle timer) {
        heap.add(timer);
    }

    /** Thread-safe: a handle may be cancelled from anywhere. */
    void countCancelled() {
        cancelled.incrementAndGet();
    }

    int size() {
        return heap.size();
    }

    /** The earliest live deadline, or empty. Drops cancelled timers from the head and purges when they pile up. */
    TimerHandle next() {
        int dead = cancelled.get();
        if (dead > MIN_PURGE && dead * 2 > heap.size()) {
            heap.removeIf(timer -> {
                timer.queued = !timer.isCancelled();
                return !timer.queued;
            });
            cancelled.set(0);
        }
        TimerHandle head;
        while ((head = heap.peek()) != null && head.isCancelled()) {
            heap.poll().queued = false;
        }
        return head;
    }

    /** Move every timer whose deadline is not after {@code now} to the ready queue, earliest first. */
    void moveDue(long now, ArrayDeque<Runnable> ready) {
        TimerHandle head;
        while ((head = heap.peek()) != null && head.when() - now <= 0) {
            heap.poll().queued = false;
            if (!head.isCancelled()) {
                ready.add(head);
            }
        }
    }
}
