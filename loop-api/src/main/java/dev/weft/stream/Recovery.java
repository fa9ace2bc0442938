package dev.weft.stream;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The operators that see how the upstream ends: onErrorResume, retry, onCompletion. A CancellationException is never a
 * failure here: it is not caught, retried or resumed from (Weft's cancellation rule).
 */
final class Recovery {
    private Recovery() {
    }

    /** On a failure, close the upstream and go on with the stream the handler returns for it. */
    static final class Resume<T> extends Lookahead<T> {
        private Cursor<T> current;
        private final Function<? super Throwable, ? extends AsyncStream<T>> handler;
        private boolean resumed;

        Resume(Cursor<T> upstream, Function<? super Throwable, ? extends AsyncStream<T>> handler) {
            this.current = upstream;
            this.handler = handler;
        }

        @Override
        protected boolean advance() {
            try {
                return current.hasNext() && found(current.next());
            } catch (CancellationException | Error e) {
                throw e;
            } catch (RuntimeException e) {
                if (resumed) {
                    throw e; // the fallback's own failures are the consumer's
                }
                resumed = true;
                current.close();
                Throwable failure = Failures.unwrap(e);
                current = Objects.requireNonNull(handler.apply(failure), () -> "the handler of onErrorResume returned "
                        + "null for " + failure + ": return a stream, AsyncStream.empty() to end quietly").open();
                return advance();
            }
        }

        @Override
        public void close() {
            end();
            current.close();
        }
    }

    /** On a failure, close the upstream and open it again, at most {@code times} times; items already passed repeat. */
    static final class Retry<T> extends Lookahead<T> {
        private final AsyncStream<T> upstream;
        private Cursor<T> current;
        private int retriesLeft;

        Retry(AsyncStream<T> upstream, int times) {
            this.upstream = upstream;
            this.current = upstream.open();
            this.retriesLeft = times;
        }

        @Override
        protected boolean advance() {
            while (true) {
                try {
                    return current.hasNext() && found(current.next());
                } catch (CancellationException | Error e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (retriesLeft-- <= 0) {
                        throw e;
                    }
                    current.close();
                    current = upstream.open();
                }
            }
        }

        @Override
        public void close() {
            end();
            current.close();
        }
    }

    /**
     * Run the action once, in the consumer's task, when the stream ends: with null at its end, with the failure it
     * threw, or with a CancellationException if the consumer stopped it early (after the upstream has closed).
     */
    static final class OnCompletion<T> implements Cursor<T> {
        private final Cursor<T> upstream;
        private final Consumer<? super Throwable> action;
        private boolean done;

        OnCompletion(Cursor<T> upstream, Consumer<? super Throwable> action) {
            this.upstream = upstream;
            this.action = action;
        }

        @Override
        public boolean hasNext() {
            if (done) {
                return false;
            }
            boolean more;
            try {
                more = upstream.hasNext();
            } catch (Throwable t) {
                complete(t);
                throw t;
            }
            if (!more) {
                complete(null);
            }
            return more;
        }

        @Override
        public T next() {
            try {
                return upstream.next();
            } catch (Throwable t) {
                complete(t);
                throw t;
            }
        }

        @Override
        public void close() {
            try {
                upstream.close();
            } finally {
                complete(new CancellationException("the consumer stopped the stream before its end"));
            }
        }

        private void complete(Throwable cause) {
            if (!done) {
                done = true;
                action.accept(cause);
            }
        }
    }
}
