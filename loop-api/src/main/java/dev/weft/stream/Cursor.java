package dev.weft.stream;

import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

/**
 * One pass over an {@link AsyncStream}, for the task that opened it: {@link #hasNext()} suspends that task until the
 * next item is there or the stream has ended, {@link #next()} takes it, and {@link #close()} stops the stream early.
 *
 * <pre>{@code
 * try (Cursor<Page> pages = stream.open()) {
 *     while (pages.hasNext()) {
 *         Page page = pages.next();
 *         if (page.last()) break;          // close() still runs: the producer is cancelled and cleaned up
 *     }
 * }
 * }</pre>
 *
 * <p>A cursor belongs to the task that first pulls it: pull and close it there. Opening binds nothing (open it on any
 * thread); the first pull binds it to its task's loop, where the stream's tasks then run and its waits wait, and a
 * pull on another loop throws {@link dev.weft.loop.InvalidStateException} naming the stream (open a pass of its own
 * there instead). Always close it (try-with-resources):
 * {@code close()} is what cancels the tasks the stream started and waits until their clean-up has run. Closing is
 * idempotent; after it, {@code hasNext()} returns false.
 *
 * <p>Failures of the stream are thrown by {@code hasNext()} or {@code next()} as Weft's exception rule says: an
 * unchecked one as itself, a checked one in a {@link java.util.concurrent.CompletionException} whose cause it is.
 */
public interface Cursor<T> extends AutoCloseable {

    /**
     * Whether another item comes, suspending the task until that is known.
     *
     * @throws CancellationException if the task is cancelled while it waits
     * @throws RuntimeException      the stream's failure (see the class comment)
     */
    boolean hasNext();

    /**
     * The next item, waiting for it as {@link #hasNext()} does.
     *
     * @throws NoSuchElementException if the stream has ended
     */
    T next();

    /**
     * Stop the stream: cancel what it runs, and return once every task it started has ended, its clean-up
     * ({@code finally} blocks) done on its own task. Idempotent.
     *
     * @throws java.util.concurrent.CompletionException if the clean-up of a task of the stream failed
     */
    @Override
    void close();
}
