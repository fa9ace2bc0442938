package dev.weft.stream;

/**
 * The body of {@link AsyncStream#generate}: runs as the stream's producer task and emits items, ending the stream when
 * it returns and failing it when it throws.
 *
 * @param <T> the items
 */
@FunctionalInterface
public interface Generator<T> {
    /** Produce the stream's items through {@code emit}; return to end the stream, throw to fail it. */
    void run(Emitter<T> emit) throws Exception;
}
