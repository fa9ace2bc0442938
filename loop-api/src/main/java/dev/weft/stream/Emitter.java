package dev.weft.stream;

import java.util.concurrent.CancellationException;

/**
 * What a {@link Generator} hands its items to. {@link #emit} suspends the producer while the stream's buffer is full,
 * so a producer runs only as far ahead of its consumer as the buffer allows.
 */
@FunctionalInterface
public interface Emitter<T> {

    /**
     * Hand the item to the consumer, suspending the producer while the buffer is full. Call it from the generator's
     * task, or from tasks it starts on the same loop.
     *
     * @throws CancellationException if the consumer has stopped (the producer is being cancelled): let it out, so that
     *                               the generator ends and its {@code finally} blocks run
     * @throws NullPointerException  if the item is null: streams carry no null items
     */
    void emit(T item);
}
