package dev.weft.scope;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/** What the scope classes share: finding the current task, checking their futures' loop, rethrowing failures. */
final class ScopeSupport {
    private ScopeSupport() {
    }

    /**
     * The task running on the calling thread.
     *
     * @throws InvalidStateException outside a task, naming the operation and why it needs one
     */
    static Task<?> currentTask(String operation, String why) {
        Task<?> task = Task.currentOrNull();
        if (task == null) {
            throw new InvalidStateException(operation + " must be called inside a task, because " + why
                    + "; start one with Loops.run(...), Tasks.spawn(...) or EventLoop.createTask(...)");
        }
        return task;
    }

    /**
     * The loop every future belongs to; with none, the current loop.
     *
     * @throws IllegalArgumentException if they belong to different loops
     */
    static EventLoop loopOf(String operation, Collection<? extends Future<?>> futures) {
        EventLoop loop = null;
        for (Future<?> future : futures) {
            Objects.requireNonNull(future, "a future passed to " + operation + " is null");
            if (loop == null) {
                loop = future.loop();
            } else if (future.loop() != loop) {
                throw new IllegalArgumentException(operation + " takes futures of one event loop, but " + future
                        + " belongs to " + future.loop() + " and others to " + loop
                        + "; bridge across loops with EventLoop.wrap(future.toCompletableFuture())");
            }
        }
        return loop != null ? loop : EventLoop.current();
    }

    /** The throwable to throw for a failure, as Future.result() does: unchecked as is, checked in CompletionException. */
    static RuntimeException propagate(Throwable error) {
        if (error instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new CompletionException(error);
    }

    /** Attach the others to the primary as suppressed, never the primary to itself. */
    static void suppress(Throwable primary, Iterable<? extends Throwable> others) {
        for (Throwable other : others) {
            if (other != primary && other != null) {
                primary.addSuppressed(other);
            }
        }
    }

    /** {@link #suppress} the others on the primary and return it to be thrown, as {@link #propagate} would. */
    static RuntimeException suppressing(Throwable primary, Iterable<? extends Throwable> others) {
        suppress(primary, others);
        return propagate(primary);
    }

    /**
     * What several failures of other tasks come out as: the first as itself if unchecked, in a CompletionException if
     * checked, with the later ones suppressed on what is thrown.
     */
    static RuntimeException firstWithRest(List<Throwable> failures) {
        Throwable first = failures.getFirst();
        RuntimeException thrown = propagate(first);
        suppress(thrown, failures.subList(1, failures.size()));
        return thrown;
    }
}
