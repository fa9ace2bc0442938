package dev.weft.stream;

import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/** map and filter: one item in, at most one out, in the consumer's task, no look-ahead beyond what filter needs. */
final class Mapping {
    private Mapping() {
    }

    /** Apply the function, as the exception rule says: unchecked failures as themselves, checked ones wrapped. */
    static <T, R> R apply(ItemFunction<? super T, ? extends R> function, T item, String operator) {
        R result;
        try {
            result = function.apply(item);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
        if (result == null) {
            throw new NullPointerException("the function of " + operator + " returned null for " + item
                    + ": streams carry no null items; filter them out first, or map to an Optional");
        }
        return result;
    }

    static final class Map<T, R> implements Cursor<R> {
        private final Cursor<T> upstream;
        private final ItemFunction<? super T, ? extends R> function;

        Map(Cursor<T> upstream, ItemFunction<? super T, ? extends R> function) {
            this.upstream = upstream;
            this.function = function;
        }

        @Override
        public boolean hasNext() {
            return upstream.hasNext();
        }

        @Override
        public R next() {
            return apply(function, upstream.next(), "map");
        }

        @Override
        public void close() {
            upstream.close();
        }
    }

    static final class Filter<T> extends Lookahead<T> {
        private final Cursor<T> upstream;
        private final Predicate<? super T> test;

        Filter(Cursor<T> upstream, Predicate<? super T> test) {
            this.upstream = upstream;
            this.test = test;
        }

        @Override
        protected boolean advance() {
            while (upstream.hasNext()) {
                T item = upstream.next();
                if (test.test(item)) {
                    return found(item);
                }
            }
            return false;
        }

        @Override
        public void close() {
            end();
            upstream.close();
        }
    }
}
