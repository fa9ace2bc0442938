package dev.weft.loop;

import java.util.Objects;

/**
 * A {@link Body} without a value: the {@code Runnable} shape, with the exception type as a parameter. Every entry
 * point that takes a Body takes this too, so a body with nothing to return needs no {@code return null;}.
 *
 * @param <E> the checked exception it may throw ({@code RuntimeException} when none)
 */
@FunctionalInterface
public interface VoidBody<E extends Exception> {
    void run() throws E;

    /** A {@code Runnable} held in a variable, as a VoidBody (a lambda or {@code runnable::run} does the same). */
    static VoidBody<RuntimeException> of(Runnable runnable) {
        Objects.requireNonNull(runnable, "runnable");
        return runnable::run;
    }

    /** This body as a {@link Body} whose value is null. */
    default Body<Void, E> returningNull() {
        return () -> {
            run();
            return null;
        };
    }
}
