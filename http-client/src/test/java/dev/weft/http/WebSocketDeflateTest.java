package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** permessage-deflate without sockets: round trips in both context modes, the negotiation, and a bomb. */
class WebSocketDeflateTest {

    /** One side compresses, the other inflates, as the two ends of a socket do. */
    private static byte[] roundTrip(WebSocketDeflate sender, WebSocketDeflate receiver, byte[] message)
            throws Exception {
        byte[] wire = sender.compress(message, 0, message.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        receiver.inflate(wire, out::write);
        receiver.endMessage(out::write);
        return out.toByteArray();
    }

    @Test
    void withContextTakeoverARepeatedMessageShrinksAndStillInflates() throws Exception {
        WebSocketDeflate sender = new WebSocketDeflate(false, false);
        WebSocketDeflate receiver = new WebSocketDeflate(false, false);
        byte[] message = "a sentence worth repeating, a sentence worth repeating".repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        WebSocketDeflate measured = new WebSocketDeflate(false, false);
        int first = measured.compress(message, 0, message.length).length;
        int second = measured.compress(message, 0, message.length).length;
        assertTrue(second < first / 2, "the second refers back to the first: " + second + " vs " + first);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(message, roundTrip(sender, receiver, message));
        }
        assertArrayEquals(new byte[0], roundTrip(sender, receiver, new byte[0]));
    }

    @Test
    void withoutContextTakeoverEachMessageStandsAlone() throws Exception {
        WebSocketDeflate sender = WebSocketDeflate.negotiate(
                List.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover"), true);
        assertTrue(sender.clientNoContextTakeover());
        assertTrue(sender.serverNoContextTakeover());
        byte[] message = "the same again".repeat(10).getBytes(StandardCharsets.UTF_8);
        byte[] first = sender.compress(message, 0, message.length);
        assertArrayEquals(first, sender.compress(message, 0, message.length), "no memory of the first");
        WebSocketDeflate receiver = new WebSocketDeflate(true, true);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(message, roundTrip(new WebSocketDeflate(false, true), receiver, message));
        }
    }

    @Test
    void theNegotiationTakesWhatItCanHonourAndRefusesTheRest() throws Exception {
        assertNull(WebSocketDeflate.negotiate(List.of(), true));
        WebSocketDeflate smallServerWindow = WebSocketDeflate.negotiate(
                List.of("permessage-deflate; server_max_window_bits=\"10\""), true);
        assertFalse(smallServerWindow.serverNoContextTakeover());
        for (String[] refused : new String[][] {
                {"permessage-deflate; client_max_window_bits=10", "client_max_window_bits=10, which was not offered"},
                {"permessage-deflate; server_max_window_bits=16", "must be 8 to 15, not '16'"},
                {"permessage-deflate; server_max_window_bits", "must be 8 to 15, not empty"},
                {"permessage-deflate; mystery", "no parameter 'mystery'"},
                {"permessage-deflate; server_no_context_takeover; server_no_context_takeover", "came twice"},
                {"permessage-deflate; server_no_context_takeover=1", "takes no value"},
                {"x-webkit-deflate-frame", "'x-webkit-deflate-frame', which was not offered"},
                {"permessage-deflate, permessage-deflate", "accepted permessage-deflate twice"}}) {
            var e = assertThrows(WebSocketDeflate.Refused.class, () -> WebSocketDeflate.negotiate(
                    List.of(refused[0]), true), refused[0]);
            assertTrue(e.getMessage().contains(refused[1]), e.getMessage());
        }
        assertThrows(WebSocketDeflate.Refused.class,
                () -> WebSocketDeflate.negotiate(List.of("permessage-deflate"), false), "not offered");
    }

    @Test
    void aBombStopsAtTheLimitHoldingNoMoreThanAChunkPastIt() throws Exception {
        WebSocketDeflate sender = new WebSocketDeflate(false, false);
        byte[] zeros = new byte[50 << 20];
        byte[] bomb = sender.compress(zeros, 0, zeros.length);
        assertTrue(bomb.length < 100_000, "50 MiB of zeros compress to " + bomb.length);
        int limit = 1 << 20;
        long[] written = {0};
        WebSocketDeflate receiver = new WebSocketDeflate(false, false);
        var e = assertThrows(WebSocketMessageTooBigException.class, () -> receiver.inflate(bomb, (b, off, len) -> {
            written[0] += len;
            if (written[0] > limit) {
                throw new WebSocketMessageTooBigException(limit, "past the limit");
            }
        }));
        assertEquals(limit, e.limit());
        assertTrue(written[0] <= limit + 16 * 1024, "stopped within a chunk: " + written[0]);
    }

    @Test
    void dataThatIsNotDeflateIsInvalidData() {
        WebSocketAssembler assembler = new WebSocketAssembler("ws://test/", 1000, new WebSocketDeflate(false, false));
        var e = assertThrows(WebSocketException.class, () -> assembler.add(new WebSocketFrame(true, true,
                WebSocketFrame.TEXT, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF})));
        assertEquals(1007, e.closeCode());
    }
}
