package dev.weft.loop;

/**
 * An error nobody else will see: a callback that threw, or a future whose failure was never retrieved.
 *
 * @param message   what happened, for a log line
 * @param exception the error
 * @param future    the future or task it belongs to, or null for a callback
 */
public record UnhandledError(String message, Throwable exception, Future<?> future) {
}
