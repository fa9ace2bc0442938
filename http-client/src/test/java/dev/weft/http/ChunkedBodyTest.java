package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChunkedBodyTest {

    @Test
    void framesChunksInLowerCaseHex() {
        assertEquals("1\r\n", text(ChunkedBody.chunkHeader(1)));
        assertEquals("1a\r\n", text(ChunkedBody.chunkHeader(26)));
        assertEquals("10000\r\n", text(ChunkedBody.chunkHeader(65536)));
        assertEquals("7fffffff\r\n", text(ChunkedBody.chunkHeader(Integer.MAX_VALUE)));
        assertEquals("\r\n", text(ChunkedBody.chunkEnd()));
        assertEquals("0\r\n\r\n", text(ChunkedBody.lastChunk()));
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.chunkHeader(0));
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.chunkHeader(-1));
    }

    @Test
    void whatItFramesTheParserReadsBack() {
        var wire = new ByteArrayOutputStream();
        wire.writeBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String chunk : List.of("hello", ", ", "x".repeat(300))) {
            wire.writeBytes(bytes(ChunkedBody.chunkHeader(chunk.length())));
            wire.writeBytes(chunk.getBytes(StandardCharsets.US_ASCII));
            wire.writeBytes(bytes(ChunkedBody.chunkEnd()));
        }
        wire.writeBytes(bytes(ChunkedBody.lastChunk()));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body hello, " + "x".repeat(300),
                "End [] keepAlive=true"), ParserFeed.sameForEverySplit(wire.toString(StandardCharsets.ISO_8859_1),
                false, "GET"));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
