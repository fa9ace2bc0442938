package dev.weft.stream;

import java.util.concurrent.CompletionException;

/** Weft's exception rule for what a stream throws at its consumer. */
final class Failures {
    private Failures() {
    }

    /** The throwable to throw: unchecked as it is, an Error thrown here, a checked one in a CompletionException. */
    static RuntimeException propagate(Throwable failure) {
        if (failure instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (failure instanceof Error fatal) {
            throw fatal;
        }
        return new CompletionException(failure);
    }

    /** The original failure inside exactly the wrapper {@link #propagate} adds (a subclass carries more: kept). */
    static Throwable unwrap(Throwable thrown) {
        return thrown.getClass() == CompletionException.class && thrown.getCause() != null ? thrown.getCause() : thrown;
    }
}
