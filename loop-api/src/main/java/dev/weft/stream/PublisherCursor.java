package dev.weft.stream;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Future;

import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link Flow.Publisher} pulled as a stream: subscribes at the first pull, requests {@code prefetch} items, and
 * requests another batch of {@code prefetch / 2} each time that many have been taken, so it never holds more than
 * {@code prefetch} items it was sent. Signals may come on any thread, one after another (§1.3) but not always on the
 * same one: each goes into a thread-safe inbox in the order it came, and the consumer's loop is woken to take it. (A
 * hand-off per signal through the loop would not keep that order: a signal made on the loop thread itself, inside a
 * {@code request}, would overtake one queued a moment before from another thread.) Every call on the subscription is
 * made on the loop, so they are serial, as §2.7 asks.
 */
final class PublisherCursor<T> implements Cursor<T>, Flow.Subscriber<T> {
    private final Flow.Publisher<? extends T> publisher;
    private final int prefetch;
    private final int batch;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>(); // items, then an End
    private EventLoop loop;                // the consumer's, set at the first pull
    private Flow.Subscription subscription;
    private Future<Void> waiter;           // the consumer's wait for a signal
    private int takenSinceRequest;
    private T ahead;
    private End end;
    private boolean closed;

    /** The terminal signal: a failure, or null for onComplete. */
    private record End(Throwable failure) {
    }

    PublisherCursor(Flow.Publisher<? extends T> publisher, int prefetch) {
        this.publisher = publisher;
        this.prefetch = prefetch;
        this.batch = Math.max(1, prefetch / 2);
    }

    // ---- the consumer's side, in its task

    @Override
    public boolean hasNext() {
        if (loop != null && !loop.inLoop()) {
            throw Failures.pulledOnAnotherLoop("AsyncStream.fromPublisher(" + publisher + ")", loop);
        }
        while (ahead == null) {
            if (closed) {
                return false;
            }
            if (end != null) {
                if (end.failure() != null) {
                    throw Failures.propagate(end.failure());
                }
                return false;
            }
            Object signal = inbox.poll();
            if (signal instanceof End last) {
                end = last;
            } else if (signal != null) {
                @SuppressWarnings("unchecked")
                T item = (T) signal;
                ahead = item;
            } else if (loop == null) {
                loop = EventLoop.current();
                publisher.subscribe(this); // a publisher may signal inside subscribe(): look again before waiting
            } else {
                waiter = loop.createFuture();
                try {
                    if (inbox.isEmpty()) { // a signal that came meanwhile has woken nobody
                        waiter.await();
                    }
                } finally {
                    waiter = null;
                }
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
        T item = ahead;
        ahead = null;
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
            ahead = null;
            inbox.clear();
            if (subscription != null) {
                subscription.cancel();
            }
        }
    }

    // ---- the publisher's side, on any thread: each signal goes to the loop

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (s == null) {
            throw brokeTheRules("onSubscribe(null)");
        }
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
        if (item == null) {
            throw brokeTheRules("onNext(null)");
        }
        inbox.add(item);
        onLoop(this::wake);
    }

    @Override
    public void onError(Throwable failure) {
        if (failure == null) {
            throw brokeTheRules("onError(null)");
        }
        inbox.add(new End(failure));
        onLoop(this::wake);
    }

    @Override
    public void onComplete() {
        inbox.add(new End(null));
        onLoop(this::wake);
    }

    /**
     * A null signal breaks §2.13, which says the subscriber must throw NullPointerException; the publisher then owes it
     * nothing more, so waiting on would hang: the stream fails with the same exception (its close() cancels).
     */
    private NullPointerException brokeTheRules(String signal) {
        NullPointerException broken = new NullPointerException(signal + " from " + publisher + ": Reactive Streams "
                + "§2.13 forbids null signals; the stream fails and its subscription is cancelled");
        inbox.add(new End(broken));
        onLoop(this::wake);
        return broken;
    }

    private void onLoop(Runnable signal) {
        try {
            loop.execute(signal);
        } catch (RejectedExecutionException | LoopClosedException closedLoop) {
            // the consumer's loop is gone, and the consumer with it: nobody is left to tell
        }
    }

    private void wake() {
        if (waiter != null && !waiter.isDone()) {
            waiter.setResult(null);
        }
    }
}
