package dev.weft.loop;

/** A callback scheduled on a loop. Cancelling it before it runs means it never runs; after, it does nothing. */
public class Handle implements Runnable {
    private final Runnable callback;
    private volatile boolean cancelled;

    Handle(Runnable callback) {
        this.callback = callback;
    }

    /** Make sure the callback does not run. Thread-safe; returns whether this call cancelled it. */
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        return true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Run the callback unless cancelled. Called by the loop. */
    @Override
    public void run() {
        if (!cancelled) {
            callback.run();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
