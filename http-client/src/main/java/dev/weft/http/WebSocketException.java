package dev.weft.http;

import java.io.IOException;

/**
 * A WebSocket failed after its handshake because a rule of RFC 6455 or one of this side's limits was broken: the peer
 * sent a masked frame, an unknown opcode, a fragment out of order, text that is not UTF-8, or the connection ended
 * without a close frame. The socket is closed when this is thrown; {@link #closeCode()} is the code this side closed
 * it with (1002 protocol error, 1007 invalid data, 1009 too big), or 1006 when the connection ended with no close
 * frame at all. An {@code IOException}, as every other network failure.
 */
public class WebSocketException extends IOException {
    private final int closeCode;

    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public WebSocketException(int closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    /** The close code that ended the socket (RFC 6455 §7.4.1). */
    public int closeCode() {
        return closeCode;
    }
}
