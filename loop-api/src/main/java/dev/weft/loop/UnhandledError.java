package dev.weft.loop;

/**
 * An error nobody else will see: a callback that threw, or a future whose failure was never retrieved.
 *
 * @param message   what happened and where, for a log line
 * @param exception the error
 */
public record UnhandledError(String message, Throwable exception) {
}
