package dev.weft.loop;

/**
 * A deadline passed before the work it bounded finished: Weft's timeout error. {@code dev.weft.scope.Timeout} throws
 * it in place of the {@link java.util.concurrent.CancellationException} that its own deadline caused, which it keeps
 * as the cause; a cancellation that came from anywhere else stays a CancellationException.
 */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
