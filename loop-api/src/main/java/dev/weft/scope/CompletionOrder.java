package dev.weft.scope;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * {@link Futures#asCompleted}: futures queue themselves here as they complete, and the iterator awaits the queue.
 * The callbacks are registered at once, not when iteration starts, so the order is the order of completion even for
 * futures that complete before the first {@code next()}; those already done come first, in the order given.
 */
final class CompletionOrder<F extends Future<?>> implements Iterable<F>, Iterator<F> {
    private final EventLoop loop;
    private final ArrayDeque<F> completed = new ArrayDeque<>();
    private final int total;
    private int returned;
    private boolean iterating;
    private Future<Void> arrival; // what next() awaits while nothing is queued

    CompletionOrder(EventLoop loop, List<F> futures) {
        this.loop = loop;
        this.total = futures.size();
        for (F future : futures) {
            if (future.isDone()) {
                completed.add(future);
            } else {
                future.addDoneCallback(done -> arrived(future));
            }
        }
    }

    private void arrived(F future) {
        completed.add(future);
        if (arrival != null && !arrival.isDone()) {
            arrival.setResult(null);
        }
    }

    /** The iterator; there is only one. @throws InvalidStateException the second time */
    @Override
    public Iterator<F> iterator() {
        if (iterating) {
            throw new InvalidStateException("Futures.asCompleted can be iterated once: each future is handed out "
                    + "once, as it completes; call asCompleted again for a second pass");
        }
        iterating = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        return returned < total;
    }

    /**
     * Await the next future to complete and return it, done.
     *
     * @throws java.util.concurrent.CancellationException if the awaiting task is cancelled meanwhile
     * @throws InvalidStateException if it has to wait outside a task of the futures' loop
     * @throws NoSuchElementException if every future was returned already
     */
    @Override
    public F next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every future passed to Futures.asCompleted was returned already");
        }
        while (completed.isEmpty()) {
            Task<?> task = Task.currentOrNull();
            if (task == null || task.loop() != loop) {
                throw new InvalidStateException("iterate Futures.asCompleted inside a task of the futures' loop: "
                        + "each step awaits the next future to complete");
            }
            arrival = loop.createFuture();
            try {
                arrival.await();
            } finally {
                arrival = null;
            }
        }
        returned++;
        return completed.poll();
    }
}
