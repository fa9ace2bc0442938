package dev.weft.http;

import java.io.IOException;

/**
 * The server did not open the WebSocket: it answered with a status other than 101 Switching Protocols, or its 101
 * broke the handshake's rules (a wrong {@code Sec-WebSocket-Accept}, a subprotocol or extension that was not offered).
 * Carries the status, the headers and, when it was short, the body of the answer, so a 401 or a 404 can be told
 * apart and shown. The connection it came on is given back to the pool, or closed after a broken 101.
 */
public final class WebSocketHandshakeException extends IOException {
    /** The longest answer body kept in the exception. */
    static final int MAX_BODY = 1024;

    private final int status;
    private final transient HttpHeaders headers;
    private final String body;

    public WebSocketHandshakeException(String message, int status, HttpHeaders headers, String body) {
        super(message);
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** The status of the server's answer (101 when the answer switched protocols but broke the handshake). */
    public int status() {
        return status;
    }

    /** The headers of the server's answer. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The body of the answer as text if it was at most 1 KiB, else empty. */
    public String body() {
        return body;
    }
}
