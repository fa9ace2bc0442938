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
    private final Throwable error;
    private final AtomicBoolean settled = new AtomicBoolean();

    private UnretrievedFailure(AbstractEventLoop loop, String futureName, Throwable error) {
        this.loop = loop;
        this.futureName = futureName;
        this.error = error;
    }

    /** Start tracking a future that has just failed. */
    static UnretrievedFailure track(Future<?> future, Throwable error) {
        String name = future instanceof Task<?> task ? "task '" + task.name() + "'"
                : "future@" + Integer.toHexString(System.identityHashCode(future));
        UnretrievedFailure failure = new UnretrievedFailure(future.owner, name, error);
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

    /** The future is garbage and nobody saw its failure. On the cleaner's thread. */
    private void onGarbage() {
        if (settled.compareAndSet(false, true)) {
            loop.unretrievedFailures().remove(this);
            if (!loop.isClosed()) {
                try {
                    loop.callSoonThreadsafe(() -> loop.callExceptionHandler(asError()));
                } catch (RuntimeException closedMeanwhile) {
                    loop.callExceptionHandler(asError()); // still reported; the handler must not block
                }
            }
        }
    }

    /** The loop is closing: report now. On the loop's owner thread. */
    void reportAtClose() {
        if (settled.compareAndSet(false, true)) {
            loop.callExceptionHandler(asError());
        }
    }

    private UnhandledError asError() {
        return new UnhandledError(futureName + " failed and nobody retrieved its exception", error);
    }
}
