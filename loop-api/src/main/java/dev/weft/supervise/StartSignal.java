package dev.weft.supervise;

/**
 * How a child tells its supervisor that it has started, as OTP's {@code init} returning: the supervisor starts the
 * next child only then, so a child started later can count on the earlier ones being ready (a cache that has loaded,
 * an acceptor that is listening). A body that ends before calling {@link #started()} failed to start
 * ({@link ChildStartException}).
 */
@FunctionalInterface
public interface StartSignal {
    /** Say that the child has started. Idempotent; call it from the child's own task. */
    void started();
}
