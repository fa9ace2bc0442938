package dev.weft.loop;

/** An operation was called in a state that does not allow it: a future read before it is done, a loop run twice. */
public class InvalidStateException extends IllegalStateException {
    public InvalidStateException(String message) {
        super(message);
    }

    public InvalidStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
