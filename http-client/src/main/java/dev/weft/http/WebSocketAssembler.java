package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.util.zip.DataFormatException;

/**
 * Joins a server's data frames into messages (RFC 6455 §5.4): a text or binary frame starts one, continuation frames
 * carry it on, FIN ends it; control frames may come between fragments and are not this class's. It checks the order
 * (no continuation without a message, no new message inside one: 1002), the size of the whole message as it grows,
 * inflated if it is compressed (1009), and that text is UTF-8 (1007).
 */
final class WebSocketAssembler {
    private final String peer;
    private final int maxMessageBytes;
    private final WebSocketDeflate deflate; // null unless permessage-deflate was negotiated
    private final WebSocketDeflate.Output sink = this::append;

    private int opcode = -1; // the message being joined, or -1 between messages
    private boolean compressed;
    private ByteArrayOutputStream data = new ByteArrayOutputStream();

    WebSocketAssembler(String peer, int maxMessageBytes, WebSocketDeflate deflate) {
        this.peer = peer;
        this.maxMessageBytes = maxMessageBytes;
        this.deflate = deflate;
    }

    /**
     * Take one data frame; at a message's last fragment, return the message.
     *
     * @throws WebSocketException if the frame is out of order (1002), the message passes the limit (1009), its text is
     *                            not UTF-8 or its compressed data is not DEFLATE (1007)
     */
    WebSocketMessage add(WebSocketFrame frame) throws WebSocketException {
        if (frame.opcode() == WebSocketFrame.CONTINUATION) {
            if (opcode < 0) {
                throw new WebSocketException(WebSocketFrame.PROTOCOL_ERROR, peer + " broke the WebSocket protocol: "
                        + "a continuation frame came with no fragmented message to continue; the socket was closed "
                        + "with 1002");
            }
        } else if (opcode >= 0) {
            throw new WebSocketException(WebSocketFrame.PROTOCOL_ERROR, peer + " broke the WebSocket protocol: a "
                    + WebSocketFrame.opcodeName(frame.opcode()) + " frame began a new message before the last "
                    + "fragment of the " + WebSocketFrame.opcodeName(opcode) + " message under way; the socket was "
                    + "closed with 1002");
        } else {
            opcode = frame.opcode();
            compressed = frame.rsv1();
        }
        try {
            if (compressed) {
                deflate.inflate(frame.payload(), sink);
            } else {
                append(frame.payload(), 0, frame.payload().length);
            }
            if (!frame.fin()) {
                return null;
            }
            if (compressed) {
                deflate.endMessage(sink);
            }
        } catch (DataFormatException e) {
            throw new WebSocketException(WebSocketFrame.INVALID_DATA, peer + " sent a compressed message that is not "
                    + "valid DEFLATE data (" + e.getMessage() + "); the socket was closed with 1007", e);
        }
        byte[] bytes = data.toByteArray();
        boolean text = opcode == WebSocketFrame.TEXT;
        reset();
        if (!text) {
            return new WebSocketMessage.Binary(bytes);
        }
        try {
            return new WebSocketMessage.Text(WebSocketFrame.strictUtf8(bytes));
        } catch (CharacterCodingException e) {
            throw new WebSocketException(WebSocketFrame.INVALID_DATA, peer + " sent a text message that is not valid "
                    + "UTF-8; the socket was closed with 1007", e);
        }
    }

    /** Whether a fragmented message is under way. */
    boolean inMessage() {
        return opcode >= 0;
    }

    private void append(byte[] bytes, int offset, int length) throws WebSocketException {
        if ((long) data.size() + length > maxMessageBytes) {
            long size = (long) data.size() + length;
            reset();
            throw new WebSocketMessageTooBigException(maxMessageBytes, peer + " sent a message of more than "
                    + maxMessageBytes + " bytes" + (compressed ? " once inflated" : "") + " (" + size + " so far; "
                    + "WebSocketOptions.maxMessageBytes); the socket was closed with 1009");
        }
        data.write(bytes, offset, length);
    }

    private void reset() {
        opcode = -1;
        data = new ByteArrayOutputStream();
    }
}
