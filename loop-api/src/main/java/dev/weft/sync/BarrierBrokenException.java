package dev.weft.sync;

import dev.weft.loop.InvalidStateException;

/**
 * A {@link Barrier} was broken, by {@link Barrier#abort()} or a waiting task's cancellation, or reset while the task
 * waited: the round it waited for will not complete. Unchecked, unlike java.util.concurrent's
 * {@code BrokenBarrierException}.
 */
public class BarrierBrokenException extends InvalidStateException {
    public BarrierBrokenException(String message) {
        super(message);
    }
}
