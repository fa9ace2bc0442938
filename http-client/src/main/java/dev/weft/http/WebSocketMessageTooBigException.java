package dev.weft.http;

/**
 * A message from the peer passed {@link WebSocketOptions#maxMessageBytes()} — as sent, or once inflated when it was
 * compressed — and the socket was closed with 1009 (message too big). Nothing past the limit was kept in memory.
 */
public final class WebSocketMessageTooBigException extends WebSocketException {
    private final int limit;

    public WebSocketMessageTooBigException(int limit, String message) {
        super(WebSocketFrame.MESSAGE_TOO_BIG, message);
        this.limit = limit;
    }

    /** The limit that was passed, in bytes. */
    public int limit() {
        return limit;
    }
}
