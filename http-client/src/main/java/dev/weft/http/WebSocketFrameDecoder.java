package dev.weft.http;

import java.nio.ByteBuffer;

/**
 * Reads a server's frames (RFC 6455 §5.2) incrementally: {@link #next} takes what it can from a buffer and returns a
 * whole frame or null when it needs more, keeping a frame's start across calls, so bytes can arrive cut anywhere and
 * a caller that stops between two reads (a cancelled task) loses nothing.
 *
 * <p>It enforces what a frame alone can break: a server's frame must not be masked (§5.1); RSV2 and RSV3 are never
 * set, RSV1 only where an extension gave it a meaning (§5.2); the opcode is one of the six defined; a control frame
 * is not fragmented and carries at most 125 bytes (§5.5); a 64-bit length has its top bit clear. A payload longer than
 * the message limit is refused from its header, before anything is allocated for it. The order of frames is the
 * {@link WebSocketAssembler}'s to check.
 */
final class WebSocketFrameDecoder {
    private final String peer;
    private final int maxPayload;
    private final boolean rsv1Allowed;

    private final byte[] header = new byte[10]; // a server's header: 2 bytes, 2 or 8 of length, no mask
    private int headerSize;                     // how many of them are here
    private byte[] payload;                     // the frame being read, once its header is complete
    private int payloadSize;

    /**
     * @param peer        for messages: {@code ws://host:port/path}
     * @param maxPayload  the longest payload taken (the message limit)
     * @param rsv1Allowed whether RSV1 may be set (permessage-deflate was negotiated)
     */
    WebSocketFrameDecoder(String peer, int maxPayload, boolean rsv1Allowed) {
        this.peer = peer;
        this.maxPayload = maxPayload;
        this.rsv1Allowed = rsv1Allowed;
    }

    /**
     * The next whole frame from {@code in} (after what earlier calls kept), or null if {@code in} ran out first.
     * Consumes only what it used.
     *
     * @throws WebSocketException for a frame that breaks the protocol (code 1002), or one past the limit (1009)
     */
    WebSocketFrame next(ByteBuffer in) throws WebSocketException {
        if (payload == null) {
            if (!readHeader(in)) {
                return null;
            }
        }
        int n = Math.min(in.remaining(), payload.length - payloadSize);
        in.get(payload, payloadSize, n);
        payloadSize += n;
        if (payloadSize < payload.length) {
            return null;
        }
        WebSocketFrame frame = new WebSocketFrame((header[0] & 0x80) != 0, (header[0] & 0x40) != 0,
                header[0] & 0x0F, payload);
        payload = null;
        payloadSize = 0;
        headerSize = 0;
        return frame;
    }

    /** Whether part of a frame is kept, waiting for the rest. */
    boolean inFrame() {
        return headerSize > 0;
    }

    private boolean readHeader(ByteBuffer in) throws WebSocketException {
        while (headerSize < 2) {
            if (!in.hasRemaining()) {
                return false;
            }
            header[headerSize++] = in.get();
            if (headerSize == 2) {
                checkFirstTwo();
            }
        }
        int length7 = header[1] & 0x7F;
        int needed = length7 == 126 ? 4 : length7 == 127 ? 10 : 2;
        while (headerSize < needed) {
            if (!in.hasRemaining()) {
                return false;
            }
            header[headerSize++] = in.get();
        }
        long length = switch (length7) {
            case 126 -> ((header[2] & 0xFFL) << 8) | (header[3] & 0xFFL);
            case 127 -> ByteBuffer.wrap(header, 2, 8).getLong();
            default -> length7;
        };
        if (length < 0) {
            throw protocolError("a frame's 64-bit length has its most significant bit set (RFC 6455 §5.2)");
        }
        if (length > maxPayload) {
            throw new WebSocketMessageTooBigException(maxPayload, peer + " sent a "
                    + WebSocketFrame.opcodeName(header[0] & 0x0F) + " frame of " + length + " bytes, past the limit of "
                    + maxPayload + " (WebSocketOptions.maxMessageBytes); the socket was closed with 1009");
        }
        payload = new byte[(int) length];
        return true;
    }

    private void checkFirstTwo() throws WebSocketException {
        int b0 = header[0] & 0xFF, b1 = header[1] & 0xFF;
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        if ((b1 & 0x80) != 0) {
            throw protocolError("a server's frame was masked (RFC 6455 §5.1: only a client masks)");
        }
        if ((b0 & 0x30) != 0) {
            throw protocolError("a frame has RSV2 or RSV3 set, which no negotiated extension defines");
        }
        boolean known = opcode <= WebSocketFrame.BINARY || (opcode >= WebSocketFrame.CLOSE
                && opcode <= WebSocketFrame.PONG);
        if (!known) {
            throw protocolError("a frame has the " + WebSocketFrame.opcodeName(opcode));
        }
        boolean control = (opcode & 0x8) != 0;
        if ((b0 & 0x40) != 0 && (!rsv1Allowed || control || opcode == WebSocketFrame.CONTINUATION)) {
            throw protocolError("a " + WebSocketFrame.opcodeName(opcode) + " frame has RSV1 set, "
                    + (rsv1Allowed ? "which permessage-deflate allows only on a message's first frame"
                            : "but no extension that uses it was negotiated"));
        }
        if (control && !fin) {
            throw protocolError("a " + WebSocketFrame.opcodeName(opcode) + " frame is fragmented (RFC 6455 §5.5)");
        }
        if (control && (b1 & 0x7F) > WebSocketFrame.MAX_CONTROL_PAYLOAD) {
            throw protocolError("a " + WebSocketFrame.opcodeName(opcode) + " frame is longer than 125 bytes "
                    + "(RFC 6455 §5.5)");
        }
    }

    private WebSocketException protocolError(String what) {
        return new WebSocketException(WebSocketFrame.PROTOCOL_ERROR, peer + " broke the WebSocket protocol: " + what
                + "; the socket was closed with 1002");
    }
}
