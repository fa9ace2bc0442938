package dev.weft.stream;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link Flow.Publisher} pulled as a stream: subscribes at the first pull, requests {@code prefetch} items, and
 * requests another batch of {@code prefetch / 2} each time that many have been taken, so it never holds more than
 * {@code prefetch} items it was sent. Signals may come on any thread; each is handed to the consumer's loop, where all
 * the state lives and every call on the subscription is made (so they are serial, as Reactive Streams §2.7 asks).
 */
final class PublisherCursor<T> implements Cursor<T>, Flow.Subscriber<T> {
    private final Flow.Publisher<? extends T> publisher;
    private final int prefetch;
    private final int batch;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private EventLoop loop;                // the consumer's, set at the first pull
    private Flow.Subscription subscription;
    private Future<Void> waiter;           // the consumer's wait for a signal
    private int takenSinceRequest;
    private boolean completed;
    private Throwable error;
    private boolean closed;

    PublisherCursor(Flow.Publisher<? extends T> publisher, int prefetch) {
        this.publisher = publisher;
        this.prefetch = prefetch;
        this.batch = Math.max(1, prefetch / 2);
    }

    // ---- the consumer's side, in its task

    @Override
    public boolean hasNext() {
        while (items.isEmpty()) {
            if (closed || completed) {
                return false;
            }
            if (error != null) {
                throw Failures.propagate(error);
            }
            if (loop == null) {
                loop = EventLoop.current();
                publisher.subscribe(this);
                continue; // a publisher may signal inside subscribe(): look again before waiting
            }
            waiter = loop.createFuture();
            try {
                waiter.await();
            } finally {
                waiter = null;
            }
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the publisher's stream has ended: call next() only after hasNext() "
                    + "returned true");
        }
        T item = items.poll();
        if (++takenSinceRequest == batch) {
            takenSinceRequest = 0;
            subscription.request(batch);
        }
        return item;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            items.clear();
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    // ---- the publisher's side, on any thread: each signal goes to the loop

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null): Reactive Streams §2.13");
        onLoop(() -> {
            if (subscription != null || closed) {
                s.cancel(); // §2.5: one subscription at a time
                return;
            }
            subscription = s;
            s.request(prefetch);
        });
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null): Reactive Streams §2.13");
        onLoop(() -> {
            if (!closed) {
                items.add(item);
                wake();
            }
        });
    }

    @Override
    public void onError(Throwable failure) {
        Objects.requireNonNull(failure, "onError(null): Reactive Streams §2.13");
        onLoop(() -> {
            error = failure;
            wake();
        });
    }

    @Override
    public void onComplete() {
        onLoop(() -> {
            completed = true;
            wake();
        });
    }

    private void onLoop(Runnable signal) {
        try {
            loop.execute(signal);
        } catch (RejectedExecutionException closedLoop) {
            // the consumer's loop is gone, and the consumer with it: nobody is left to tell
        }
    }

    private void wake() {
        if (waiter != null && !waiter.isDone()) {
            waiter.setResult(null);
        }
    }
}
