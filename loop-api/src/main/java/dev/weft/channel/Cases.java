package dev.weft.channel;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Outcome;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/** The kinds of {@link Select.Case}. */
final class Cases {
    private Cases() {
    }

    /** A case on a channel: it waits in the channel's queue, and leaves it when the select ends. */
    abstract static class OnChannel<T> extends Select.Case {
        final Channel<T> channel;

        OnChannel(Channel<T> channel) {
            this.channel = channel;
        }

        @Override
        final Channel<?> channel() {
            return channel;
        }

        @Override
        @SuppressWarnings("unchecked")
        final void withdraw(Object registration) {
            channel.withdraw((Pending<T>) registration);
        }
    }

    static final class Receive<T> extends OnChannel<T> {
        Receive(Channel<T> channel) {
            super(channel);
        }

        @Override
        Selected poll() {
            T item = channel.poll();
            if (item != null) {
                return new Selected.Received<>(channel, item);
            }
            return channel.closedLocked() ? new Selected.Closed(channel) : null;
        }

        @Override
        Object register(Waiter waiter) {
            return channel.enqueue(waiter, null, true, false);
        }

        @Override
        public String toString() {
            return "receive from " + channel;
        }
    }

    static final class Send<T> extends OnChannel<T> {
        private final T item;

        Send(Channel<T> channel, T item) {
            super(channel);
            this.item = item;
        }

        @Override
        void checkSendable() {
            if (channel.closedLocked()) {
                throw new SendOnClosedChannelException(channel);
            }
        }

        @Override
        Selected poll() {
            return channel.offer(item) ? new Selected.Sent<>(channel) : null;
        }

        @Override
        Object register(Waiter waiter) {
            return channel.enqueue(waiter, item, true, false);
        }

        @Override
        public String toString() {
            return "send " + item + " to " + channel;
        }
    }

    /** A future of any loop: the callback that wakes the select is added and removed on that loop. */
    static final class FutureDone<T> extends Select.Case {
        private final Future<T> future;

        FutureDone(Future<T> future) {
            this.future = future;
        }

        @Override
        Selected poll() {
            return future.isDone() ? completed() : null;
        }

        @Override
        Object register(Waiter waiter) {
            Consumer<Future<T>> wake = done -> waiter.complete(this);
            onItsLoop(() -> future.addDoneCallback(wake));
            return wake;
        }

        @Override
        @SuppressWarnings("unchecked")
        void withdraw(Object registration) {
            onItsLoop(() -> future.removeDoneCallback((Consumer<Future<T>>) registration));
        }

        /** The outcome is read here, on the select's side, so a failure counts as retrieved only when it is chosen. */
        @Override
        Selected completed() {
            return new Selected.Completed<>(future, future.outcome());
        }

        private void onItsLoop(Runnable action) {
            EventLoop loop = future.loop();
            if (loop.inLoop()) {
                action.run();
                return;
            }
            try {
                loop.execute(action);
            } catch (RejectedExecutionException closed) {
                // its loop is closed: a pending future of it never completes, and there is no callback to remove
            }
        }

        @Override
        public String toString() {
            return "completion of " + future;
        }
    }

    /**
     * A stage, which cannot take a callback back: the case adds one callback to it, once, and keeps the selects waiting
     * on it in a set of its own, from which each is removed when it ends. So a case reused by select after select
     * leaves nothing behind.
     */
    static final class StageDone<T> extends Select.Case {
        private final CompletionStage<T> stage;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

        StageDone(CompletionStage<T> stage) {
            this.stage = stage;
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(value);
                }
                for (Waiter waiter : waiting) { // done first, so a select registering now sees it or is seen here
                    waiter.complete(this);
                }
            });
        }

        @Override
        Selected poll() {
            return done.isDone() ? completed() : null;
        }

        @Override
        Object register(Waiter waiter) {
            waiting.add(waiter);
            if (done.isDone()) {
                waiter.complete(this);
            }
            return waiter;
        }

        @Override
        void withdraw(Object registration) {
            waiting.remove(registration);
        }

        @Override
        Selected completed() {
            Outcome<T> outcome;
            try {
                outcome = new Outcome.Success<>(done.join());
            } catch (CancellationException cancelled) {
                outcome = new Outcome.Cancelled<>(cancelled);
            } catch (CompletionException failed) {
                Throwable cause = failed.getCause() instanceof CompletionException inner && inner.getCause() != null
                        ? inner.getCause() : failed.getCause();
                outcome = cause instanceof CancellationException cancelled
                        ? new Outcome.Cancelled<>(cancelled) : new Outcome.Failure<>(cause);
            }
            return new Selected.Completed<>(stage, outcome);
        }

        @Override
        public String toString() {
            return "completion of " + stage;
        }
    }

    /** Handled by the select itself, which waits with the shortest timeout. */
    static final class Timeout extends Select.Case {
        final Duration duration;

        Timeout(Duration duration) {
            this.duration = duration;
        }

        @Override
        Selected poll() {
            return null;
        }

        @Override
        public String toString() {
            return "timeout after " + duration;
        }
    }

    /** Handled by the select itself, which returns at once if nothing was ready. */
    static final class Default extends Select.Case {
        @Override
        Selected poll() {
            return null;
        }

        @Override
        public String toString() {
            return "default";
        }
    }
}
