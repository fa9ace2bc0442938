package dev.weft.scope;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Combining futures, as asyncio's {@code gather}, {@code wait}, {@code as_completed} and {@code shield}. The futures
 * passed in must belong to one loop, and these methods are confined to it; the futures returned belong to it too.
 *
 * <p>Unlike asyncio's gathering future, a future returned here is cancelled at once when cancelled: it cancels the
 * futures it combines, but does not wait for them to end. To wait for tasks to end, use a {@link TaskGroup}.
 */
public final class Futures {
    private Futures() {
    }

    /** {@link #gather(Collection)} of the arguments. */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return gather(Arrays.asList(futures));
    }

    /**
     * A future of every result, in the order given (not the order they completed). It fails with the first failure,
     * and is cancelled if one of them is; the others go on running, and failures after the first are dropped, as in
     * asyncio (gather's caller has its answer). Cancelling it cancels every future not yet done.
     *
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        List<Future<? extends T>> children = List.copyOf(futures);
        EventLoop loop = ScopeSupport.loopOf("Futures.gather", children);
        Future<List<T>> gathered = loop.createFuture();
        if (children.isEmpty()) {
            gathered.setResult(List.of());
            return gathered;
        }
        Object[] values = new Object[children.size()];
        int[] left = {children.size()};
        boolean[] childCancelled = {false}; // then the gathered future is cancelled, but must not cancel the rest
        for (int i = 0; i < children.size(); i++) {
            int index = i;
            children.get(i).addDoneCallback(child -> {
                Outcome<? extends T> outcome = child.outcome(); // reading it marks a failure as seen
                if (gathered.isDone()) {
                    return;
                }
                switch (outcome) {
                    case Outcome.Success<? extends T> success -> {
                        values[index] = success.value();
                        if (--left[0] == 0) {
                            gathered.setResult(listOf(values));
                        }
                    }
                    case Outcome.Failure<? extends T> failure -> gathered.setException(failure.error());
                    case Outcome.Cancelled<? extends T> cancelled -> {
                        childCancelled[0] = true;
                        gathered.setException(cancelled.cause());
                    }
                }
            });
        }
        gathered.addDoneCallback(f -> {
            if (f.isCancelled() && !childCancelled[0]) {
                cancelAll(children);
            }
        });
        return gathered;
    }

    /** {@link #gatherSettled(Collection)} of the arguments. */
    @SafeVarargs
    public static <T> Future<List<Outcome<T>>> gatherSettled(Future<? extends T>... futures) {
        return gatherSettled(Arrays.asList(futures));
    }

    /**
     * A future of every outcome, in the order given, once all are done: as asyncio's gather with
     * {@code return_exceptions=True}, it never fails because one of them did. Cancelling it cancels every future not
     * yet done.
     *
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <T> Future<List<Outcome<T>>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        List<Future<? extends T>> children = List.copyOf(futures);
        EventLoop loop = ScopeSupport.loopOf("Futures.gatherSettled", children);
        Future<List<Outcome<T>>> settled = loop.createFuture();
        Object[] outcomes = new Object[children.size()];
        int[] left = {children.size()};
        if (children.isEmpty()) {
            settled.setResult(List.of());
            return settled;
        }
        for (int i = 0; i < children.size(); i++) {
            int index = i;
            children.get(i).addDoneCallback(child -> {
                outcomes[index] = child.outcome();
                if (--left[0] == 0 && !settled.isDone()) {
                    settled.setResult(listOf(outcomes));
                }
            });
        }
        settled.addDoneCallback(f -> {
            if (f.isCancelled()) {
                cancelAll(children);
            }
        });
        return settled;
    }

    /**
     * A future of the first of the futures to complete (in any way), which it returns as is; if several are done
     * already, the first of them in the order given. The others go on running: cancelling the returned future, or
     * its completing, does not cancel them.
     *
     * @throws IllegalArgumentException if there are none, or they belong to different loops
     */
    public static <F extends Future<?>> Future<F> firstCompleted(Collection<? extends F> futures) {
        List<F> candidates = List.copyOf(futures);
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Futures.firstCompleted needs at least one future; with none it would "
                    + "never complete");
        }
        EventLoop loop = ScopeSupport.loopOf("Futures.firstCompleted", candidates);
        Future<F> first = loop.createFuture();
        for (F candidate : candidates) {
            if (candidate.isDone()) {
                first.setResult(candidate);
                return first;
            }
        }
        Consumer<Future<?>> onDone = new Consumer<>() {
            @Override
            @SuppressWarnings("unchecked")
            public void accept(Future<?> done) {
                if (!first.isDone()) {
                    first.setResult((F) done);
                }
                candidates.forEach(each -> each.removeDoneCallback(this)); // leave no callbacks behind
            }
        };
        candidates.forEach(each -> each.addDoneCallback(onDone));
        first.addDoneCallback(f -> {
            if (f.isCancelled()) {
                candidates.forEach(each -> each.removeDoneCallback(onDone));
            }
        });
        return first;
    }

    /**
     * The futures in the order they complete: each step of the iteration awaits the next one to complete and returns
     * it, done, to be read with {@code result()} or {@code outcome()}. Iterate it once, inside a task; cancelling that
     * task ends the wait with a CancellationException and leaves the futures running.
     *
     * <pre>{@code
     * for (Task<byte[]> done : Futures.asCompleted(downloads)) {
     *     save(done.result());
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<? extends F> futures) {
        List<F> pending = List.copyOf(futures);
        return new CompletionOrder<>(ScopeSupport.loopOf("Futures.asCompleted", pending), pending);
    }

    /**
     * A future that mirrors the inner one, but whose cancellation leaves the inner one running, as asyncio's
     * {@code shield}: awaiting it from a task that gets cancelled (by a {@link Timeout}, say) ends that await with a
     * CancellationException while the inner work goes on. Cancelling the inner future cancels the returned one. An
     * inner future already done is returned as is. If the inner one fails after the returned one was cancelled, the
     * failure has no reader and goes to the loop's exception handler.
     */
    public static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "inner");
        if (inner.isDone()) {
            return inner;
        }
        Future<T> outer = inner.loop().createFuture();
        Consumer<Future<T>> mirror = done -> {
            if (outer.isDone()) {
                return;
            }
            switch (done.outcome()) {
                case Outcome.Success<T> success -> outer.setResult(success.value());
                case Outcome.Failure<T> failure -> outer.setException(failure.error());
                case Outcome.Cancelled<T> cancelled -> outer.setException(cancelled.cause());
            }
        };
        inner.addDoneCallback(mirror);
        outer.addDoneCallback(o -> {
            if (o.isCancelled() && !inner.isDone()) {
                inner.removeDoneCallback(mirror); // so a later failure of the inner one is reported, not dropped
            }
        });
        return outer;
    }

    /**
     * Start the body as a task on the current loop and {@link #shield(Future)} it: a step that finishes even when the
     * task awaiting it is cancelled. The task still ends when its loop closes. Not to be confused with
     * {@link dev.weft.loop.Tasks#shielded}, which runs code in the current task with its cancellation held back (for
     * clean-up that awaits): this one runs the body in another task, and the await of it is still cancelled.
     */
    public static <T> Future<T> shield(Body<T, ?> body) {
        Task<T> task = EventLoop.current().createTask(Objects.requireNonNull(body, "body"));
        return shield(task);
    }

    private static void cancelAll(List<? extends Future<?>> children) {
        for (Future<?> child : children) {
            child.cancel();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E> List<E> listOf(Object[] values) {
        return Collections.unmodifiableList(new ArrayList<>((List<E>) Arrays.asList(values)));
    }
}
