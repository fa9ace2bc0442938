package dev.weft.net;

import dev.weft.loop.InvalidStateException;

/**
 * Two users tried to use a resource that serves one at a time: a second task read from a {@link StreamReader} while
 * another was waiting on it. Nothing was consumed; the first user goes on undisturbed.
 */
public class BusyResourceException extends InvalidStateException {
    public BusyResourceException(String message) {
        super(message);
    }
}
