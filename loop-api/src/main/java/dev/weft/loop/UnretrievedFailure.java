package dev.weft.loop;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A future's failure that nobody has retrieved yet. It is reported to the loop's exception handler when the future
 * becomes garbage (as asyncio does) or, at the latest, when the loop closes: a failure never vanishes. It holds
 * no reference to the future, so tracking it does not keep the future alive.
 */
final class UnretrievedFailure {
    private static final Cleaner CLEANER = Cleaner.create();

    private final AbstractEventLoop loop;
    private final String futureName;
    private final String createdAt; // in debug mode, where the future was created; else ""
    private final Throwable error;
    private final AtomicBoolean settled = new AtomicBoolean();

    private UnretrievedFailure(AbstractEventLoop loop, String futureName, String createdAt, Throwable error) {
        this.loop = loop;
        this.futureName = futureName;
        this.createdAt = createdAt;
        this.error = error;
    }

    /** Start tracking a future that has just failed. */
    static UnretrievedFailure track(Future<?> future, Throwable error) {
        String name = future instanceof Task<?> task ? "task '" + task.name() + "'"
                : "future@" + Integer.toHexString(System.identityHashCode(future));
        UnretrievedFailure failure = new UnretrievedFailure(future.owner, name, LoopDebug.whereCreated(future), error);
        future.owner.unretrievedFailures().add(failure);
        CLEANER.register(future, failure::onGarbage);
        return failure;
    }

    /** Someone saw the failure: nothing to report. Thread-safe. */
    void retrieved() {
        if (settled.compareAndSet(false, true)) {
            loop.unretrievedFailures().remove(this);
        }
    }

    /**
     * The future is garbage: report on the loop, unless someone retrieved the failure first. On the cleaner's thread.
     * If the loop has closed meanwhile, its close reported every failure still tracked, this one included.
     */
    private void onGarbage() {
        if (!settled.get() && !loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(this::report);
            } catch (LoopClosedException closedMeanwhile) {
                // close() reports what is still tracked
            }
        }
    }

    /** Report to the exception handler unless already settled. On the loop, or its owner while it closes. */
    void report() {
        if (settled.compareAndSet(false, true)) {
            loop.unretrievedFailures().remove(this);
            loop.callExceptionHandler(asError());
        }
    }

    private UnhandledError asError() {
        return new UnhandledError(futureName + " failed and nobody retrieved its exception" + createdAt, error);
    }
}
