package dev.weft.stream;

import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;

import java.util.concurrent.CompletionException;

/** What a stream throws at its consumer: failures by Weft's exception rule, and the misuse of a cursor. */
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

    /** A cursor pulled on another loop than the one its first pull bound it to. */
    static InvalidStateException pulledOnAnotherLoop(String stream, EventLoop home) {
        return new InvalidStateException("a cursor of " + stream + " was pulled on the loop " + EventLoop.current()
                + " but belongs to " + home + ", where it was first pulled (its tasks and waits are there): pull a "
                + "cursor on one loop only; for another loop, open a pass of its own there with open()");
    }
}
