package dev.weft.stream;

import dev.weft.stream.ProducerCursor.Arrival;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** chunked: items gathered into lists, by count, or by count and time. */
final class Chunking {
    private Chunking() {
    }

    /** Lists of {@code size} items, the last one shorter; pulls in the consumer's task. */
    static final class BySize<T> extends Lookahead<List<T>> {
        private final Cursor<T> upstream;
        private final int size;

        BySize(Cursor<T> upstream, int size) {
            this.upstream = upstream;
            this.size = size;
        }

        @Override
        protected boolean advance() {
            if (!upstream.hasNext()) {
                return false;
            }
            List<T> chunk = new ArrayList<>(Math.min(size, 1024));
            do {
                chunk.add(upstream.next());
            } while (chunk.size() < size && upstream.hasNext());
            return found(Collections.unmodifiableList(chunk));
        }

        @Override
        public void close() {
            end();
            upstream.close();
        }
    }

    /**
     * A list is passed on when it holds {@code size} items or when {@code window} has passed since its first item
     * came, whichever is first; the upstream runs in a producer task meanwhile. No empty lists; the last may be short.
     */
    static final class BySizeOrTime<T> extends Lookahead<List<T>> {
        private final ProducerCursor<T> upstream;
        private final int size;
        private final long windowNanos;

        BySizeOrTime(ProducerCursor<T> upstream, int size, long windowNanos) {
            this.upstream = upstream;
            this.size = size;
            this.windowNanos = windowNanos;
        }

        @Override
        protected boolean advance() {
            if (!upstream.hasNext()) {
                return false;
            }
            List<T> chunk = new ArrayList<>(Math.min(size, 1024));
            chunk.add(upstream.next());
            long deadline = Timing.deadlineIn(windowNanos);
            while (chunk.size() < size && upstream.awaitItem(deadline, true) == Arrival.ITEM) {
                chunk.add(upstream.next());
            }
            return found(Collections.unmodifiableList(chunk));
        }

        @Override
        public void close() {
            end();
            upstream.close();
        }
    }
}
