package dev.weft.loop;

/**
 * Code that computes a value and may throw {@code E}: what every Weft entry point takes ({@link Loops#run},
 * {@link Tasks#spawn}, {@code Timeout.after}, {@code Semaphore.withPermit}, ...). Unlike {@code Callable}, the
 * exception type is a parameter, so an entry point that runs the body in the caller's own task can declare
 * {@code throws E}: a body that throws {@code IOException} makes the call throw {@code IOException}, checked and
 * declared, and one that throws nothing checked makes it throw nothing checked. See {@code docs/design.md}, "The
 * exception rule".
 *
 * @param <T> the value
 * @param <E> the checked exception it may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface Body<T, E extends Exception> {
    T call() throws E;
}
