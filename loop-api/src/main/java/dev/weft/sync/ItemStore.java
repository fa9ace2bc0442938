package dev.weft.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Where an {@link AsyncQueue} keeps its items, and so the order it hands them out in. */
abstract sealed class ItemStore<T> {

    abstract void add(T item);

    /** Remove and return the next item; the store is not empty. */
    abstract T take();

    abstract int size();

    /** The order, for messages: fifo, lifo or priority. */
    abstract String order();

    /** Remove every item, in the order {@link #take()} would have returned them. */
    final List<T> drain() {
        List<T> all = new ArrayList<>(size());
        while (size() > 0) {
            all.add(take());
        }
        return all;
    }

    /** Oldest first (fifo) or newest first (lifo): one deque, taken from the front or the back. */
    static final class Ends<T> extends ItemStore<T> {
        private final ArrayDeque<T> items = new ArrayDeque<>();
        private final boolean newestFirst;

        Ends(boolean newestFirst) {
            this.newestFirst = newestFirst;
        }

        @Override
        void add(T item) {
            items.addLast(item);
        }

        @Override
        T take() {
            return newestFirst ? items.pollLast() : items.pollFirst();
        }

        @Override
        int size() {
            return items.size();
        }

        @Override
        String order() {
            return newestFirst ? "lifo" : "fifo";
        }
    }

    /** Least first by the comparator; equal items oldest first, which a bare binary heap does not promise. */
    static final class Priority<T> extends ItemStore<T> {
        private record Entry<T>(T item, long sequence) {
        }

        private final PriorityQueue<Entry<T>> items;
        private long sequence;

        Priority(Comparator<? super T> order) {
            Comparator<Entry<T>> byItem = (a, b) -> order.compare(a.item(), b.item());
            this.items = new PriorityQueue<>(byItem.thenComparingLong(Entry::sequence));
        }

        @Override
        void add(T item) {
            items.add(new Entry<>(item, sequence++));
        }

        @Override
        T take() {
            return items.remove().item();
        }

        @Override
        int size() {
            return items.size();
        }

        @Override
        String order() {
            return "priority";
        }
    }
}
