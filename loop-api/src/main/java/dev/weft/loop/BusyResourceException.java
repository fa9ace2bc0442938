package dev.weft.loop;

/**
 * Two users tried at once to use a resource that serves one at a time: a second task read from a stream reader while
 * another was waiting on it, say. Nothing was consumed; the first user goes on undisturbed.
 */
public class BusyResourceException extends InvalidStateException {
    public BusyResourceException(String message) {
        super(message);
    }
}
