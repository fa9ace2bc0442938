package dev.weft.loop;

/** A loop backend was asked for by name but cannot run on this machine; the cause is its probe's finding. */
public class LoopUnavailableException extends InvalidStateException {
    public LoopUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
