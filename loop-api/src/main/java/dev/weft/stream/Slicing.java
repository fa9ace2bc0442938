package dev.weft.stream;

import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * take, drop and takeWhile: which part of the upstream passes. None pulls an item it will not pass on. When take or
 * takeWhile ends the stream, it closes the upstream before it says so: the producers behind it are cleaned up before
 * the consumer goes on, even one that goes on inside its try block without closing the cursor yet.
 */
final class Slicing {
    private Slicing() {
    }

    static final class Take<T> implements Cursor<T> {
        private final Cursor<T> upstream;
        private long left;

        Take(Cursor<T> upstream, long count) {
            this.upstream = upstream;
            this.left = count;
        }

        @Override
        public boolean hasNext() {
            if (left > 0 && upstream.hasNext()) { // never waits for an item past the last one taken
                return true;
            }
            close();
            return false;
        }

        @Override
        public T next() {
            if (left <= 0) {
                throw new NoSuchElementException("take() has passed on all its items");
            }
            T item = upstream.next();
            left--;
            return item;
        }

        @Override
        public void close() {
            left = 0;
            upstream.close();
        }
    }

    static final class Drop<T> implements Cursor<T> {
        private final Cursor<T> upstream;
        private long toSkip;

        Drop(Cursor<T> upstream, long count) {
            this.upstream = upstream;
            this.toSkip = count;
        }

        @Override
        public boolean hasNext() {
            while (toSkip > 0 && upstream.hasNext()) {
                upstream.next();
                toSkip--;
            }
            return upstream.hasNext();
        }

        @Override
        public T next() {
            hasNext();
            return upstream.next();
        }

        @Override
        public void close() {
            upstream.close();
        }
    }

    static final class TakeWhile<T> extends Lookahead<T> {
        private final Cursor<T> upstream;
        private final Predicate<? super T> test;

        TakeWhile(Cursor<T> upstream, Predicate<? super T> test) {
            this.upstream = upstream;
            this.test = test;
        }

        @Override
        protected boolean advance() {
            if (!upstream.hasNext()) {
                return false;
            }
            T item = upstream.next();
            if (test.test(item)) {
                return found(item);
            }
            close();
            return false;
        }

        @Override
        public void close() {
            end(); // ENDED is final: advance() is not called again
            upstream.close();
        }
    }
}
