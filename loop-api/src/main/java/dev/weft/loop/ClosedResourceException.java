package dev.weft.loop;

/** The resource was closed by its own side (a closed loop, a closed transport) and can no longer be used. */
public class ClosedResourceException extends InvalidStateException {
    public ClosedResourceException(String message) {
        super(message);
    }
}
