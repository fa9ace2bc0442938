package dev.weft.http;

import dev.weft.http.peers.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame codec and the message assembler without sockets: bytes in every cut, bytes out unmasked. */
class WebSocketFrameTest {
    private static final String PEER = "ws://test/";

    private static WebSocketFrameDecoder decoder(int limit) {
        return new WebSocketFrameDecoder(PEER, limit, false);
    }

    /** Feed {@code wire} cut at {@code cut}, returning every frame that came out. */
    private static List<WebSocketFrame> decodeCut(byte[] wire, int cut) throws WebSocketException {
        WebSocketFrameDecoder decoder = decoder(1 << 20);
        List<WebSocketFrame> frames = new ArrayList<>();
        for (ByteBuffer part : List.of(ByteBuffer.wrap(wire, 0, cut).slice(),
                ByteBuffer.wrap(wire, cut, wire.length - cut).slice())) {
            for (WebSocketFrame f = decoder.next(part); f != null; f = decoder.next(part)) {
                frames.add(f);
            }
            assertFalse(part.hasRemaining(), "every byte consumed");
        }
        assertFalse(decoder.inFrame());
        return frames;
    }

    @Test
    void framesOfEveryLengthEncodingDecodeWhateverTheCut() throws Exception {
        byte[] small = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] medium = new byte[300];         // 16-bit length
        byte[] large = new byte[70_000];       // 64-bit length
        new Random(1).nextBytes(large);
        byte[] wire = concat(RawWebSocket.text("hi"), RawWebSocket.frame(0x9, new byte[0]),
                RawWebSocket.frame(0x02, medium), RawWebSocket.frame(0x02, large));
        for (int cut = 0; cut <= wire.length; cut += cut < 400 ? 1 : 997) {
            List<WebSocketFrame> frames = decodeCut(wire, cut);
            assertEquals(4, frames.size(), "cut at " + cut);
            assertArrayEquals(small, frames.get(0).payload());
            assertEquals(WebSocketFrame.PING, frames.get(1).opcode());
            assertArrayEquals(medium, frames.get(2).payload());
            assertArrayEquals(large, frames.get(3).payload());
            assertTrue(frames.get(3).fin());
        }
    }

    @Test
    void aFrameLongerThanTheLimitIsRefusedFromItsHeader() {
        byte[] header = Arrays.copyOf(RawWebSocket.frame(0x02, new byte[100_000]), 10);
        var e = assertThrows(WebSocketMessageTooBigException.class, () -> decoder(1000).next(ByteBuffer.wrap(header)));
        assertEquals(1009, e.closeCode());
        assertEquals(1000, e.limit());
        byte[] topBitSet = {(byte) 0x82, 127, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1};
        var top = assertThrows(WebSocketException.class, () -> decoder(1000).next(ByteBuffer.wrap(topBitSet)));
        assertEquals(1002, top.closeCode());
    }

    @Test
    void controlFramesMustBeShortAndWhole() {
        var longPing = assertThrows(WebSocketException.class,
                () -> decoder(1000).next(ByteBuffer.wrap(RawWebSocket.frame(0x9, new byte[126]))));
        assertTrue(longPing.getMessage().contains("longer than 125 bytes"), longPing.getMessage());
        var rsv1 = assertThrows(WebSocketException.class, () -> new WebSocketFrameDecoder(PEER, 1000, true)
                .next(ByteBuffer.wrap(RawWebSocket.frame(0xC9, false, new byte[0]))));
        assertTrue(rsv1.getMessage().contains("only on a message's first frame"), rsv1.getMessage());
    }

    @Test
    void theEncoderMasksEachFrameWithAFreshKeyAndFragmentsLargeMessages() {
        WebSocketFrameEncoder encoder = new WebSocketFrameEncoder(new SecureRandom());
        byte[] message = new byte[WebSocketFrameEncoder.MAX_FRAME * 2 + 5];
        new Random(2).nextBytes(message);
        ByteBuffer[] frames = encoder.message(WebSocketFrame.BINARY, true, message, 0, message.length);
        assertEquals(3, frames.length);
        ByteBuffer joined = ByteBuffer.allocate(message.length);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < frames.length; i++) {
            ByteBuffer f = frames[i];
            int b0 = f.get() & 0xFF, b1 = f.get() & 0xFF;
            assertEquals(i == frames.length - 1, (b0 & 0x80) != 0, "FIN on the last only");
            assertEquals(i == 0, (b0 & 0x40) != 0, "RSV1 on the first only");
            assertEquals(i == 0 ? WebSocketFrame.BINARY : WebSocketFrame.CONTINUATION, b0 & 0x0F);
            assertTrue((b1 & 0x80) != 0, "masked");
            int length = (b1 & 0x7F) == 126 ? f.getShort() & 0xFFFF : (b1 & 0x7F) == 127 ? (int) f.getLong() : b1 & 0x7F;
            byte[] key = new byte[4];
            f.get(key);
            keys.add(Arrays.toString(key));
            assertEquals(length, f.remaining());
            for (int j = 0; f.hasRemaining(); j++) {
                joined.put((byte) (f.get() ^ key[j & 3]));
            }
        }
        assertArrayEquals(message, joined.array());
        assertEquals(3, keys.stream().distinct().count(), "a fresh key per frame");
    }

    @Test
    void theAssemblerJoinsFragmentsAndChecksOrderSizeAndUtf8() throws Exception {
        WebSocketAssembler assembler = new WebSocketAssembler(PEER, 10, null);
        assertNull(assembler.add(new WebSocketFrame(false, false, WebSocketFrame.TEXT, bytes("é"))));
        assertTrue(assembler.inMessage());
        assertEquals(new WebSocketMessage.Text("éa"),
                assembler.add(new WebSocketFrame(true, false, WebSocketFrame.CONTINUATION, bytes("a"))));
        // a two-byte character split across fragments is joined before it is decoded
        byte[] e = bytes("é");
        assertNull(assembler.add(new WebSocketFrame(false, false, WebSocketFrame.TEXT, new byte[] {e[0]})));
        assertEquals("é", assembler.add(new WebSocketFrame(true, false, WebSocketFrame.CONTINUATION,
                new byte[] {e[1]})).asText());
        var tooBig = assertThrows(WebSocketMessageTooBigException.class, () -> {
            assembler.add(new WebSocketFrame(false, false, WebSocketFrame.BINARY, new byte[6]));
            assembler.add(new WebSocketFrame(true, false, WebSocketFrame.CONTINUATION, new byte[6]));
        });
        assertEquals("ws://test/ sent a message of more than 10 bytes (12 so far; WebSocketOptions.maxMessageBytes); "
                + "the socket was closed with 1009", tooBig.getMessage());
        var utf8 = assertThrows(WebSocketException.class, () -> new WebSocketAssembler(PEER, 10, null)
                .add(new WebSocketFrame(true, false, WebSocketFrame.TEXT, new byte[] {(byte) 0xFF})));
        assertEquals(1007, utf8.closeCode());
    }

    @Test
    void closeCodesAndReasonsAreCheckedBothWays() throws Exception {
        for (int code : new int[] {999, 1004, 1005, 1006, 1015, 2999, 5000}) {
            assertThrows(IllegalArgumentException.class, () -> WebSocketClose.toSend(code, ""), "code " + code);
        }
        assertThrows(IllegalArgumentException.class, () -> WebSocketClose.toSend(1000, "é".repeat(62)));
        WebSocketClose sent = WebSocketClose.toSend(4001, "é".repeat(61));
        assertEquals(sent, WebSocketClose.parse(PEER, sent.payload()), "what is sent parses back");
        assertEquals(new WebSocketClose(1005, ""), WebSocketClose.parse(PEER, new byte[0]));
        assertEquals(0, new WebSocketClose(1005, "").payload().length, "an empty close is answered empty");
        assertEquals(1007, assertThrows(WebSocketException.class,
                () -> WebSocketClose.parse(PEER, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF})).closeCode());
        assertEquals(1002, assertThrows(WebSocketException.class,
                () -> WebSocketClose.parse(PEER, new byte[] {0x03, (byte) 0xED})).closeCode(), "1005 on the wire");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
