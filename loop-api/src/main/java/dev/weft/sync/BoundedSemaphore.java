package dev.weft.sync;

import dev.weft.loop.InvalidStateException;

/**
 * A {@link Semaphore} that refuses to count more free permits than it started with, as asyncio's
 * {@code BoundedSemaphore}: a release without a matching acquire is a bug, and it fails where it happens instead of
 * letting one more task in later.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /**
     * A bounded semaphore with this many free permits, which is also its bound.
     *
     * @throws IllegalArgumentException if permits is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits);
        this.bound = permits;
    }

    /**
     * Give a permit back, as {@link Semaphore#release()}.
     *
     * @throws InvalidStateException if every permit is free already: released more often than acquired
     */
    @Override
    public void release() {
        super.release();
    }

    @Override
    void checkRelease(int freePermits) {
        if (freePermits >= bound) {
            throw new InvalidStateException(this + " released above its bound of " + bound
                    + " permits: every release must match an acquire (use a plain Semaphore to let the count grow)");
        }
    }

    /** The number of permits it started with, which the free count never exceeds. */
    public int bound() {
        return bound;
    }
}
