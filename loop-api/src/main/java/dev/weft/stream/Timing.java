package dev.weft.stream;

import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.EventLoop;
import dev.weft.stream.ProducerCursor.Arrival;

import java.time.Duration;

/**
 * The operators that watch the clock: timeout, debounce, sample. Each runs its upstream in a producer task, so that
 * the upstream goes on while the consumer's task waits with a deadline; a wait that times out takes nothing.
 */
final class Timing {
    private Timing() {
    }

    /** The deadline {@code nanos} from now on the current loop's clock. */
    static long deadlineIn(long nanos) {
        return EventLoop.current().time() + nanos;
    }

    /** Each item must come within the limit of the consumer asking for it. */
    static final class Timeout<T> implements Cursor<T> {
        private final ProducerCursor<T> upstream;
        private final Duration limit;
        private final long nanos;

        Timeout(ProducerCursor<T> upstream, Duration limit, long nanos) {
            this.upstream = upstream;
            this.limit = limit;
            this.nanos = nanos;
        }

        @Override
        public boolean hasNext() {
            return switch (upstream.awaitItem(deadlineIn(nanos), true)) {
                case ITEM -> true;
                case END -> false;
                case TIMED_OUT -> throw new DeadlineExceededException("AsyncStream.timeout(" + limit + "): no item "
                        + "came within " + limit + " of asking; allow more time, or recover with onErrorResume");
            };
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

    /** An item passes only once the quiet period has passed without a newer one; the last item always passes. */
    static final class Debounce<T> extends Lookahead<T> {
        private final ProducerCursor<T> upstream;
        private final long quietNanos;

        Debounce(ProducerCursor<T> upstream, long quietNanos) {
            this.upstream = upstream;
            this.quietNanos = quietNanos;
        }

        @Override
        protected boolean advance() {
            if (!upstream.hasNext()) {
                return false;
            }
            T latest = upstream.next();
            while (upstream.awaitItem(deadlineIn(quietNanos), true) == Arrival.ITEM) {
                latest = upstream.next(); // a newer item: the quiet period starts again
            }
            return found(latest);
        }

        @Override
        public void close() {
            end();
            upstream.close();
        }
    }

    /**
     * At the end of each period (the first starts at the first pull) the latest item that came in it passes; a period
     * without items passes nothing, and an item still waiting when the stream ends is dropped (as Kotlin's sample).
     */
    static final class Sample<T> extends Lookahead<T> {
        private final ProducerCursor<T> upstream;
        private final long periodNanos;
        private long periodEnd = Long.MIN_VALUE;

        Sample(ProducerCursor<T> upstream, long periodNanos) {
            this.upstream = upstream;
            this.periodNanos = periodNanos;
        }

        @Override
        protected boolean advance() {
            if (periodEnd == Long.MIN_VALUE) {
                periodEnd = deadlineIn(periodNanos);
            }
            T latest = null;
            while (true) {
                switch (upstream.awaitItem(periodEnd, true)) {
                    case ITEM -> latest = upstream.next();
                    case END -> {
                        return false;
                    }
                    case TIMED_OUT -> {
                        periodEnd += periodNanos;
                        if (latest != null) {
                            return found(latest);
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            end();
            upstream.close();
        }
    }
}
