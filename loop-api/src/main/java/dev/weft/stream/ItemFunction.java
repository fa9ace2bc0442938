package dev.weft.stream;

/**
 * A function an operator applies to each item ({@link AsyncStream#map}, {@link AsyncStream#mapConcurrent},
 * {@link AsyncStream#flatMapMerge}). It may wait (it runs in a task) and may throw checked exceptions, which reach the
 * consumer in a {@link java.util.concurrent.CompletionException}, as Weft's exception rule says.
 */
@FunctionalInterface
public interface ItemFunction<T, R> {
    /** The result for the item; never null (streams carry no nulls). */
    R apply(T item) throws Exception;
}
