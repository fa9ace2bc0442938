package dev.weft.stream;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.UnhandledError;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream as a {@link Flow.Publisher}: each subscriber gets its own run of the (cold) stream, in a task of the loop.
 * Every signal comes from that task, so they are serial (§1.3) and on the loop's thread. The task pulls an item only
 * once the previous one is delivered and waits for demand before {@code onNext}, so a subscriber never gets more than
 * it requested (§1.1); it pulls at most one item ahead of demand, which lets an empty stream complete without a
 * request. After {@code cancel()} no signal comes (§1.8); the stream is closed, its clean-up run, on the loop.
 */
final class StreamPublisher<T> implements Flow.Publisher<T> {
    private final AsyncStream<T> stream;
    private final EventLoop loop;

    StreamPublisher(AsyncStream<T> stream, EventLoop loop) {
        this.stream = stream;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscribe(null): Reactive Streams §1.9");
        Run run = new Run(subscriber);
        try {
            loop.execute(run::start);
        } catch (RejectedExecutionException | LoopClosedException closed) {
            subscriber.onSubscribe(run);
            subscriber.onError(closed instanceof LoopClosedException || closed.getCause() == null ? closed
                    : closed.getCause());
        }
    }

    /** One subscriber's run of the stream, and its subscription. */
    private final class Run implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;
        private volatile IllegalArgumentException invalidRequest;
        private Task<Void> task;          // on the loop
        private Future<Void> demandWaiter; // on the loop

        Run(Flow.Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        void start() {
            task = loop.createTask("toPublisher", this::body);
        }

        private void body() {
            if (!signal(() -> subscriber.onSubscribe(this))) {
                return;
            }
            try (Cursor<T> cursor = stream.open()) { // opening runs nothing: a pull does
                checkStopped(); // cancelled inside onSubscribe: the stream never runs
                while (cursor.hasNext()) {
                    awaitDemand();
                    T item = cursor.next();
                    checkStopped();
                    demand.decrementAndGet();
                    if (!signal(() -> subscriber.onNext(item))) {
                        return;
                    }
                }
            } catch (CancellationException e) {
                IllegalArgumentException invalid = invalidRequest;
                if (invalid != null) {
                    signal(() -> subscriber.onError(invalid)); // §3.9
                } else if (!cancelled) {
                    signal(() -> subscriber.onError(e)); // cancelled from elsewhere: the loop is closing, say
                }
                return;
            } catch (Throwable failure) {
                if (!cancelled) {
                    signal(() -> subscriber.onError(Failures.unwrap(failure)));
                }
                return;
            }
            if (!cancelled) {
                signal(subscriber::onComplete);
            }
        }

        private void awaitDemand() {
            while (demand.get() == 0) {
                checkStopped();
                demandWaiter = loop.createFuture();
                try {
                    demandWaiter.await();
                } finally {
                    demandWaiter = null;
                }
            }
        }

        /** Throw if the subscriber cancelled or made an invalid request: the catch in body() says what follows. */
        private void checkStopped() {
            if (cancelled || invalidRequest != null) {
                throw new CancellationException("the Flow subscription was cancelled or given an invalid request");
            }
        }

        /**
         * Call the subscriber; one that throws breaks §2.13: its subscription counts as cancelled, and the error goes to
         * the loop's exception handler, since the subscriber cannot be told. Returns whether to go on.
         */
        private boolean signal(Runnable call) {
            try {
                call.run();
                return true;
            } catch (Throwable t) {
                cancelled = true;
                loop.callExceptionHandler(new UnhandledError("a Flow.Subscriber of AsyncStream.toPublisher threw "
                        + "from a signal, which Reactive Streams §2.13 forbids; its subscription is cancelled", t));
                return false;
            }
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return; // §3.6: after cancel(), a request does nothing, not even a bad one
            }
            if (n <= 0) {
                invalidRequest = new IllegalArgumentException("request(" + n + "): Reactive Streams §3.9 asks for a "
                        + "positive number of items; request at least 1");
                stop();
                return;
            }
            demand.accumulateAndGet(n, (had, more) -> had + more < 0 ? Long.MAX_VALUE : had + more); // §3.17
            onLoop(() -> {
                if (demandWaiter != null && !demandWaiter.isDone()) {
                    demandWaiter.setResult(null);
                }
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
            stop();
        }

        private void stop() {
            onLoop(() -> {
                if (task != null) {
                    task.cancel("the Flow subscription was " + (cancelled ? "cancelled" : "given an invalid request"));
                }
            });
        }

        private void onLoop(Runnable action) {
            try {
                loop.execute(action);
            } catch (RejectedExecutionException | LoopClosedException closed) {
                // the loop is gone and the run with it
            }
        }
    }
}
