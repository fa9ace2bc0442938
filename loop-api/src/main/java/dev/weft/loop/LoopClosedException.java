package dev.weft.loop;

/**
 * The event loop (or the loop group) is closed: nothing can be scheduled, awaited or run on it any more. Unchecked, as
 * every misuse of a loop's state is; the I/O resources of a closed loop report {@link ClosedResourceException}.
 */
public class LoopClosedException extends InvalidStateException {
    public LoopClosedException(String message) {
        super(message);
    }
}
