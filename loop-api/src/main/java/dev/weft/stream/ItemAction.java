package dev.weft.stream;

/**
 * What {@link AsyncStream#forEach} does with each item, in the consumer's own task; what it throws comes out of
 * {@code forEach} as itself, checked exceptions declared.
 *
 * @param <E> the checked exception it may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface ItemAction<T, E extends Exception> {
    /** Do what is to be done with the item. */
    void accept(T item) throws E;
}
