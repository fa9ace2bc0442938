package dev.weft.http;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Writes a client's frames (RFC 6455 §5.2): each masked with a fresh 4-byte key from a {@link SecureRandom} (§5.3: a
 * key the page's script cannot predict is what keeps a WebSocket from poisoning the caches of proxies on the way). A
 * message longer than {@link #MAX_FRAME} goes as several fragments, so the peer can read a large one frame by frame.
 */
final class WebSocketFrameEncoder {
    /** The largest payload put in one frame; a longer message is fragmented. */
    static final int MAX_FRAME = 64 * 1024;

    private final SecureRandom random;
    private final byte[] key = new byte[4];

    WebSocketFrameEncoder(SecureRandom random) {
        this.random = random;
    }

    /**
     * The frames of one message: {@code opcode} on the first, continuations after, FIN on the last; RSV1 on the first
     * if {@code compressed}. A control frame is one frame (its payload at most 125 bytes, checked by the caller).
     */
    ByteBuffer[] message(int opcode, boolean compressed, byte[] payload, int offset, int length) {
        int frames = Math.max(1, (length + MAX_FRAME - 1) / MAX_FRAME);
        ByteBuffer[] out = new ByteBuffer[frames];
        for (int i = 0; i < frames; i++) {
            int from = offset + i * MAX_FRAME;
            int size = Math.min(MAX_FRAME, offset + length - from);
            out[i] = frame(i == frames - 1, i == 0 && compressed, i == 0 ? opcode : WebSocketFrame.CONTINUATION,
                    payload, from, size);
        }
        return out;
    }

    /** One masked frame. */
    ByteBuffer frame(boolean fin, boolean rsv1, int opcode, byte[] payload, int offset, int length) {
        int lengthBytes = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
        ByteBuffer out = ByteBuffer.allocate(2 + lengthBytes + 4 + length);
        out.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        switch (lengthBytes) {
            case 0 -> out.put((byte) (0x80 | length));
            case 2 -> out.put((byte) (0x80 | 126)).putShort((short) length);
            default -> out.put((byte) (0x80 | 127)).putLong(length);
        }
        random.nextBytes(key);
        out.put(key);
        for (int i = 0; i < length; i++) {
            out.put((byte) (payload[offset + i] ^ key[i & 3]));
        }
        return out.flip();
    }
}
