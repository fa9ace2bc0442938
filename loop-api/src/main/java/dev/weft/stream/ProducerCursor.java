package dev.weft.stream;

import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.scope.ChildFailedException;
import dev.weft.scope.TaskGroup;
import dev.weft.scope.Timeout;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.QueueShutDownException;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The cursor of a generated stream: a producer task runs the generator and puts its items into a bounded queue, which
 * the consumer's task drains. Every operator that needs its upstream to run on its own (buffer, the concurrent and the
 * timed operators) pulls through one of these.
 *
 * <p>The producer is the only child of a {@link TaskGroup} opened in the consumer's task at the first pull, so it
 * cannot outlive the consumer: {@link #close()} cancels the group and closes it, which waits until the producer has
 * ended — its {@code finally} blocks run on its own task, before the consumer goes on. A producer that ignores its
 * cancellation is waited for, as a group waits for any child, and named in a WARNING after the grace period
 * ({@code -Dweft.cancel.grace}).
 */
final class ProducerCursor<T> implements Cursor<T> {
    /** What {@link #awaitItem} found. */
    enum Arrival { ITEM, END, TIMED_OUT }

    private final AsyncQueue<T> items;
    private final Generator<T> generator;
    private final String name;
    private TaskGroup group; // opened at the first pull, in the consumer's task
    private Task<?> consumer; // that task: the one that must close the cursor
    private T ahead;
    private boolean ended;
    private boolean closed;
    private Throwable failure;          // the generator's, set on its task before the queue is shut down
    private boolean failedAfterClose;   // thrown by its clean-up once cancelled: close() reports it

    ProducerCursor(int capacity, Generator<T> generator, String name) {
        this.items = AsyncQueue.fifo(capacity);
        this.generator = generator;
        this.name = name;
    }

    @Override
    public boolean hasNext() {
        return awaitItem(0, false) == Arrival.ITEM;
    }

    /**
     * Wait for the next item until the deadline on the loop's clock (if timed), without taking it; a wait that times
     * out takes nothing.
     */
    Arrival awaitItem(long deadlineNanos, boolean timed) {
        if (ahead != null) {
            return Arrival.ITEM;
        }
        if (ended || closed) {
            return Arrival.END;
        }
        start();
        try {
            ahead = timed ? Timeout.orNullAt(deadlineNanos, items::get) : items.get();
            return ahead != null ? Arrival.ITEM : Arrival.TIMED_OUT;
        } catch (QueueShutDownException drained) {
            ended = true;
            if (failure != null) {
                throw Failures.propagate(failure);
            }
            return Arrival.END;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(name + " has ended: call next() only after hasNext() returned true");
        }
        T item = ahead;
        ahead = null;
        return item;
    }

    private void start() {
        if (group != null) {
            if (!consumer.loop().inLoop()) {
                throw Failures.pulledOnAnotherLoop(name, consumer.loop());
            }
            return;
        }
        if (Task.currentOrNull() == null) {
            throw new InvalidStateException(name + " must be consumed inside a task, because its producer runs as a "
                    + "task of the consumer's loop and the consumer waits for its items; consume it in Loops.run, "
                    + "Tasks.spawn or EventLoop.submit");
        }
        consumer = Task.currentOrNull();
        group = TaskGroup.open();
        group.spawn(name, this::produce);
    }

    /** The producer task's body. */
    private void produce() throws Exception {
        try {
            generator.run(this::emit);
        } catch (Throwable t) {
            failure = t;
            failedAfterClose = closed && !(t instanceof CancellationException);
            throw t;
        } finally {
            items.shutdown(); // the consumer drains what is left, then sees the end (or the failure)
        }
    }

    private void emit(T item) {
        Objects.requireNonNull(item, () -> name + " emitted null: streams carry no null items; emit an Optional or "
                + "a marker object instead");
        if (closed) {
            throw stopped();
        }
        try {
            items.put(item);
        } catch (QueueShutDownException e) {
            if (closed) {
                throw stopped(); // the consumer stopped while this waited, shielded from its cancellation
            }
            throw new InvalidStateException("emit() after the generator of " + name + " returned: emit only while "
                    + "the generator runs, from its task or from tasks it awaits");
        }
    }

    private CancellationException stopped() {
        return new CancellationException("the consumer of " + name + " has stopped");
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (group != null && Task.currentOrNull() != consumer) {
            throw new InvalidStateException("close the cursor of " + name + " in the task that first pulled it, '"
                    + consumer.name() + "': its producer is that task's child, and that task waits for its clean-up");
        }
        closed = true;
        ahead = null;
        if (group == null) {
            return; // never pulled: nothing ran
        }
        group.cancel();
        items.shutdown(); // wakes a producer waiting in emit() inside a shielded block too
        try {
            group.close();
        } catch (ChildFailedException e) {
            if (failedAfterClose) {
                throw e; // its clean-up failed: nobody else will hear of it
            }
            // the consumer saw this failure already, or stopped before the items it came after
        }
    }

    @Override
    public String toString() {
        return name + (closed ? " (closed)" : ended ? " (ended)" : "");
    }
}
