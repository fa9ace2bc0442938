package dev.weft.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of a close frame (RFC 6455 §5.5.1): a two-byte code and a UTF-8 reason, or nothing at all (read as
 * 1005, "no status"). Which codes may be sent and received (§7.4), and how long a reason may be.
 *
 * @param code   the close code; {@link WebSocketFrame#NO_STATUS} for an empty payload
 * @param reason the reason, empty if none
 */
record WebSocketClose(int code, String reason) {
    /** A reason fits in a control frame's 125 bytes after the code. */
    static final int MAX_REASON_BYTES = WebSocketFrame.MAX_CONTROL_PAYLOAD - 2;

    /**
     * Whether a close frame may carry this code: the codes RFC 6455 and the IANA registry define for use on the wire,
     * and 3000–4999 for libraries and applications. 1005, 1006 and 1015 stand for "no frame" and are never sent.
     */
    static boolean isValidCode(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /**
     * A close this side may send.
     *
     * @throws IllegalArgumentException for a code no close frame may carry, or a reason past 123 bytes in UTF-8
     */
    static WebSocketClose toSend(int code, String reason) {
        if (!isValidCode(code)) {
            throw new IllegalArgumentException("a WebSocket cannot be closed with code " + code + ": use 1000 (normal),"
                    + " 1001 (going away), 1002, 1003, 1007 to 1014, or 3000 to 4999 for your own (RFC 6455 §7.4)");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("a close reason is at most 123 bytes in UTF-8: '" + reason + "'");
        }
        return new WebSocketClose(code, reason);
    }

    /**
     * The peer's close frame.
     *
     * @throws WebSocketException for one byte, a code no frame may carry (1002), a reason that is not UTF-8 (1007)
     */
    static WebSocketClose parse(String peer, byte[] payload) throws WebSocketException {
        if (payload.length == 0) {
            return new WebSocketClose(WebSocketFrame.NO_STATUS, "");
        }
        if (payload.length == 1) {
            throw new WebSocketException(WebSocketFrame.PROTOCOL_ERROR, peer + " broke the WebSocket protocol: its "
                    + "close frame carries one byte, half a code (RFC 6455 §5.5.1); the socket was closed with 1002");
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!isValidCode(code)) {
            throw new WebSocketException(WebSocketFrame.PROTOCOL_ERROR, peer + " broke the WebSocket protocol: it "
                    + "closed with code " + code + ", which no close frame may carry (RFC 6455 §7.4); the socket was "
                    + "closed with 1002");
        }
        try {
            return new WebSocketClose(code, WebSocketFrame.strictUtf8(Arrays.copyOfRange(payload, 2, payload.length)));
        } catch (CharacterCodingException e) {
            throw new WebSocketException(WebSocketFrame.INVALID_DATA, peer + " sent a close reason that is not valid "
                    + "UTF-8; the socket was closed with 1007", e);
        }
    }

    /** The payload to send: empty for 1005 (the answer to an empty close), else the code and the reason. */
    byte[] payload() {
        if (code == WebSocketFrame.NO_STATUS) {
            return new byte[0];
        }
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + reasonBytes.length).putShort((short) code).put(reasonBytes).array();
    }

    /** {@code 4001 bye}, or the code alone. */
    @Override
    public String toString() {
        return code + (reason.isEmpty() ? "" : " " + reason);
    }
}
