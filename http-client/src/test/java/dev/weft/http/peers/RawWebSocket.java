package dev.weft.http.peers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server side of a WebSocket on a {@link RawConnection}, for scripts that misbehave on purpose: the handshake's
 * answer (right or wrong), server frames built byte by byte (masked or not, any opcode, any bits), and the client's
 * frames read and unmasked so a test can check what the client answered.
 */
public final class RawWebSocket {
    /** A client's frame, unmasked. */
    public record Frame(boolean fin, int opcode, byte[] payload) {
        /** The code of a close frame, or 1005 if it has none. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private RawWebSocket() {
    }

    /** Read the handshake request and answer 101 with the right {@code Sec-WebSocket-Accept}. */
    public static void accept(RawConnection connection) throws IOException {
        connection.readHead();
        String key = connection.lastRequest().header("Sec-WebSocket-Key");
        answer(connection, acceptFor(key));
    }

    /** Read the handshake request and answer 101 with {@code accept} as {@code Sec-WebSocket-Accept}. */
    public static void answer(RawConnection connection, String accept) throws IOException {
        connection.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
    }

    /** The right answer to a key (RFC 6455 §4.2.2). */
    public static String acceptFor(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server frame: first byte as given (FIN, RSV bits, opcode), unmasked unless {@code masked}. */
    public static byte[] frame(int firstByte, boolean masked, byte[] payload) {
        int lengthBytes = payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
        ByteBuffer out = ByteBuffer.allocate(2 + lengthBytes + (masked ? 4 : 0) + payload.length);
        out.put((byte) firstByte);
        int maskBit = masked ? 0x80 : 0;
        switch (lengthBytes) {
            case 0 -> out.put((byte) (maskBit | payload.length));
            case 2 -> out.put((byte) (maskBit | 126)).putShort((short) payload.length);
            default -> out.put((byte) (maskBit | 127)).putLong(payload.length);
        }
        if (masked) {
            out.put(new byte[4]); // a zero key: the payload reads the same
        }
        return out.put(payload).array();
    }

    /** An unmasked final frame with this opcode. */
    public static byte[] frame(int opcode, byte[] payload) {
        return frame(0x80 | opcode, false, payload);
    }

    /** An unmasked final text frame. */
    public static byte[] text(String text) {
        return frame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A close frame with a code and no reason. */
    public static byte[] close(int code) {
        return frame(0x8, new byte[] {(byte) (code >> 8), (byte) code});
    }

    /** Read one client frame, check that it is masked, unmask it. */
    public static Frame read(RawConnection connection) throws IOException {
        byte[] start = connection.readExactly(2);
        if ((start[1] & 0x80) == 0) {
            throw new IOException("the client sent an unmasked frame (RFC 6455 §5.1 says it must mask)");
        }
        long length = start[1] & 0x7F;
        if (length == 126) {
            length = ByteBuffer.wrap(connection.readExactly(2)).getShort() & 0xFFFF;
        } else if (length == 127) {
            length = ByteBuffer.wrap(connection.readExactly(8)).getLong();
        }
        byte[] key = connection.readExactly(4);
        byte[] payload = connection.readExactly(Math.toIntExact(length));
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= key[i & 3];
        }
        return new Frame((start[0] & 0x80) != 0, start[0] & 0x0F, payload);
    }

    /** Read client frames until a close frame, and return it (pings and pongs and messages skipped). */
    public static Frame readClose(RawConnection connection) throws IOException {
        while (true) {
            Frame frame = read(connection);
            if (frame.opcode() == 0x8) {
                return frame;
            }
        }
    }
}
