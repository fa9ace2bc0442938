package dev.weft.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One frame of RFC 6455 §5.2 as received, unmasked: FIN, RSV1 (permessage-deflate's "compressed" bit), the opcode and
 * the payload. Also the protocol's constants and the checks a close frame's code and reason need.
 */
record WebSocketFrame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** The longest payload of a control frame (§5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;

    static final int NORMAL_CLOSURE = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int NO_STATUS = 1005;       // never sent: a close frame without a code reads as this
    static final int ABNORMAL_CLOSURE = 1006; // never sent: the connection ended without a close frame
    static final int INVALID_DATA = 1007;
    static final int MESSAGE_TOO_BIG = 1009;

    boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    /** The text of UTF-8 bytes. @throws CharacterCodingException if they are not valid UTF-8 */
    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    static String opcodeName(int opcode) {
        return switch (opcode) {
            case CONTINUATION -> "continuation";
            case TEXT -> "text";
            case BINARY -> "binary";
            case CLOSE -> "close";
            case PING -> "ping";
            case PONG -> "pong";
            default -> "reserved opcode 0x" + Integer.toHexString(opcode);
        };
    }
}
