package dev.weft.loop;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Code that computes a value and may throw {@code E}: what every Weft entry point takes ({@link Loops#run},
 * {@link Tasks#spawn}, {@code Timeout.after}, {@code Semaphore.withPermit}, ...). Unlike {@code Callable}, the
 * exception type is a parameter, so an entry point that runs the body in the caller's own task can declare
 * {@code throws E}: a body that throws {@code IOException} makes the call throw {@code IOException}, checked and
 * declared, and one that throws nothing checked makes it throw nothing checked. See {@code docs/design.md}, "The
 * exception rule".
 *
 * <p>A lambda or a method reference fits. Two things do not: a {@code Callable} held in a variable (pass
 * {@code callable::call}, or {@link #of}), and a reference to an overloaded method, {@code this::fetch} when several
 * {@code fetch} methods exist, which javac finds ambiguous between the Body and VoidBody overloads (write the lambda).
 *
 * @param <T> the value
 * @param <E> the checked exception it may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface Body<T, E extends Exception> {
    T call() throws E;

    /** A {@code Callable} held in a variable, as a Body (a lambda or {@code callable::call} does the same). */
    static <T> Body<T, Exception> of(Callable<T> callable) {
        Objects.requireNonNull(callable, "callable");
        return callable::call;
    }
}
