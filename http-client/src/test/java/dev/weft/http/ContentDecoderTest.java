package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Content codings decoded from bytes the JDK's encoders made, fed whole, byte by byte and in random pieces. */
class ContentDecoderTest {
    private static final byte[] TEXT = ("Weft decodes gzip and deflate as the body comes. ".repeat(400)
            + new Random(1).ints(2000, 0, 256).collect(StringBuilder::new, (sb, i) -> sb.append((char) i),
            StringBuilder::append)).getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void gzip() throws Exception {
        assertDecodesEveryWay("gzip", gzip(TEXT), TEXT);
        assertDecodesEveryWay("x-gzip", gzip(TEXT), TEXT);
    }

    @Test
    void gzipWithEveryOptionalHeaderField() throws Exception {
        byte[] plain = gzip(TEXT);
        // FEXTRA, FNAME, FCOMMENT and FHCRC between the fixed header and the data.
        var b = new ByteArrayOutputStream();
        b.write(plain, 0, 3);
        b.write(4 | 8 | 16 | 2);
        b.write(plain, 4, 6);
        b.write(new byte[] {3, 0, 'a', 'b', 'c'});
        b.writeBytes("name.txt\0a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        b.write(new byte[] {0x12, 0x34});
        b.write(plain, 10, plain.length - 10);
        assertDecodesEveryWay("gzip", b.toByteArray(), TEXT);
    }

    @Test
    void concatenatedGzipMembersAndTrailingBytes() throws Exception {
        byte[] a = "first member, ".getBytes(StandardCharsets.US_ASCII);
        byte[] c = "second member".getBytes(StandardCharsets.US_ASCII);
        assertDecodesEveryWay("gzip", concat(gzip(a), gzip(c)), concat(a, c));
        assertDecodesEveryWay("gzip", concat(gzip(a), new byte[] {0, 0, 0, 0}), a);
    }

    @Test
    void deflateZlibWrappedAndRaw() throws Exception {
        assertDecodesEveryWay("deflate", deflate(TEXT, false), TEXT);
        assertDecodesEveryWay("Deflate", deflate(TEXT, true), TEXT);
        byte[] tiny = "x".getBytes(StandardCharsets.US_ASCII);
        assertDecodesEveryWay("deflate", deflate(tiny, false), tiny);
        assertDecodesEveryWay("deflate", deflate(tiny, true), tiny);
        assertDecodesEveryWay("deflate", deflate(new byte[0], true), new byte[0]);
    }

    @Test
    void identityIsTheInputItself() throws Exception {
        var decoder = ContentDecoder.forEncoding(null, 100);
        ByteBuffer in = ByteBuffer.wrap(TEXT);
        ByteBuffer out = decoder.decode(in);
        assertEquals(TEXT.length, out.remaining());
        assertTrue(out.hasArray() && out.array() == TEXT, "no copy");
        assertEquals(0, in.remaining());
        decoder.finish();
        assertDecodesEveryWay("identity", TEXT, TEXT);
        assertDecodesEveryWay("", TEXT, TEXT);
    }

    @Test
    void anEmptyBodyDecodesToNothing() throws Exception {
        assertDecodesEveryWay("gzip", new byte[0], new byte[0]);
        assertDecodesEveryWay("deflate", new byte[0], new byte[0]);
    }

    @Test
    void unknownCodingsAreTypedErrors() {
        var e = assertThrows(HttpProtocolException.class, () -> ContentDecoder.forEncoding("br", 100));
        assertEquals("unsupported Content-Encoding \"br\": the client decodes gzip, deflate and identity; the server "
                + "ignored Accept-Encoding", e.getMessage());
        assertThrows(HttpProtocolException.class, () -> ContentDecoder.forEncoding("gzip, gzip", 100));
    }

    @Test
    void truncatedStreamsAreErrors() throws Exception {
        byte[] gz = gzip(TEXT);
        assertEquals("truncated gzip body: it ended in the trailer (CRC-32 and length), after " + (gz.length - 3)
                        + " compressed bytes (" + TEXT.length + " decoded)",
                decodeFails("gzip", Arrays.copyOf(gz, gz.length - 3)).getMessage());
        assertTrue(decodeFails("gzip", Arrays.copyOf(gz, gz.length / 2)).getMessage()
                .startsWith("truncated gzip body: it ended in the compressed data, after "));
        assertEquals("truncated gzip body: it ended in a member's header, after 5 compressed bytes (0 decoded)",
                decodeFails("gzip", Arrays.copyOf(gz, 5)).getMessage());
        byte[] zlib = deflate(TEXT, false);
        assertTrue(decodeFails("deflate", Arrays.copyOf(zlib, zlib.length - 2)).getMessage()
                .startsWith("truncated deflate body: it ended in the compressed data, after "));
        assertTrue(decodeFails("deflate", new byte[] {0x78}).getMessage()
                .startsWith("truncated deflate body: it ended in the compressed data, after 1 compressed bytes"));
    }

    @Test
    void corruptStreamsAreErrors() throws Exception {
        byte[] gz = gzip(TEXT);
        gz[gz.length - 6] ^= 1;  // the CRC-32
        assertTrue(decodeFails("gzip", gz).getMessage().startsWith("malformed gzip body: its CRC-32 is "));
        assertEquals("malformed gzip body: it does not start with the gzip magic bytes 1f 8b; the server's "
                + "Content-Encoding is wrong", decodeFails("gzip", TEXT).getMessage());
        byte[] zlib = deflate(TEXT, false);
        zlib[zlib.length - 1] ^= 1;  // the Adler-32
        assertTrue(decodeFails("deflate", zlib).getMessage().startsWith("malformed deflate body after "));
    }

    @Test
    void aDecompressionBombStopsAtTheRatio() throws Exception {
        byte[] bomb = gzip(new byte[16 << 20]);  // 16 MiB of zeros in about 16 KiB
        var decoder = ContentDecoder.forEncoding("gzip", 100);
        ByteBuffer in = ByteBuffer.wrap(bomb);
        var e = assertThrows(HttpProtocolException.class, () -> {
            do {
                decoder.decode(in);
            } while (in.hasRemaining() || decoder.hasPendingOutput());
        });
        assertTrue(e.getMessage().startsWith("the gzip body expands more than 100 times "
                + "(ResponseLimits.maxDecompressionRatio): "), e.getMessage());
        long decoded = Long.parseLong(e.getMessage().replaceAll(".*: (\\d+) bytes from.*", "$1"));
        assertTrue(decoded < 4 << 20, "stopped early, at " + decoded);
        decoder.close();
        // Without the guard, and with a ratio it stays under, the same bytes decode.
        assertEquals(16 << 20, decodeAll("gzip", bomb, -1, new int[0]).length);
        assertEquals(16 << 20, decodeAll("gzip", bomb, 2000, new int[0]).length);
        // Small bodies are never held to the ratio.
        assertEquals(100_000, decodeAll("deflate", deflate(new byte[100_000], false), 100, new int[0]).length);
    }

    /** Whatever the guards, one call gives a bounded piece: 16 KiB of gzip'd zeros would be 16 MiB at once. */
    @Test
    void oneCallDecodesABoundedPieceAndKeepsTheRest() throws Exception {
        byte[] bomb = gzip(new byte[16 << 20]);
        var decoder = ContentDecoder.forEncoding("gzip", -1);
        ByteBuffer in = ByteBuffer.wrap(bomb);
        ByteBuffer first = decoder.decode(in);
        assertEquals(ContentDecoder.MAX_OUTPUT, first.remaining());
        assertTrue(in.hasRemaining() || decoder.hasPendingOutput(), "the rest waits for the next call");
        long total = first.remaining();
        while (in.hasRemaining() || decoder.hasPendingOutput()) {
            ByteBuffer more = decoder.decode(in);
            assertTrue(more.remaining() <= ContentDecoder.MAX_OUTPUT, "bounded: " + more.remaining());
            total += more.remaining();
        }
        decoder.finish();
        assertEquals(16 << 20, total);
    }

    private static void assertDecodesEveryWay(String coding, byte[] encoded, byte[] expected) throws Exception {
        assertArrayEquals(expected, decodeAll(coding, encoded, 100, new int[0]), "whole");
        if (encoded.length < 3000) {
            int[] everyByte = new int[Math.max(0, encoded.length - 1)];
            Arrays.setAll(everyByte, i -> i + 1);
            assertArrayEquals(expected, decodeAll(coding, encoded, 100, everyByte), "byte by byte");
        }
        for (int seed = 0; seed < 10; seed++) {
            var random = new Random(seed);
            int[] cuts = random.ints(1 + random.nextInt(20), 1, Math.max(2, encoded.length)).sorted().distinct()
                    .filter(c -> c < encoded.length).toArray();
            assertArrayEquals(expected, decodeAll(coding, encoded, 100, cuts), "random cuts, seed " + seed);
        }
    }

    private static byte[] decodeAll(String coding, byte[] encoded, int ratio, int[] cuts)
            throws HttpProtocolException {
        var decoder = ContentDecoder.forEncoding(coding, ratio);
        var out = new ByteArrayOutputStream();
        for (int p = 0; p <= cuts.length; p++) {
            int from = p == 0 ? 0 : cuts[p - 1];
            int to = p == cuts.length ? encoded.length : cuts[p];
            ByteBuffer in = p % 2 == 0 ? ByteBuffer.wrap(encoded, from, to - from)
                    : ByteBuffer.allocateDirect(to - from).put(encoded, from, to - from).flip();
            do {
                ByteBuffer decoded = decoder.decode(in);
                assertTrue(decoded.remaining() <= ContentDecoder.MAX_OUTPUT, "bounded: " + decoded.remaining());
                byte[] b = new byte[decoded.remaining()];
                decoded.get(b);
                out.writeBytes(b);
            } while (in.hasRemaining() || decoder.hasPendingOutput());
        }
        decoder.finish();
        return out.toByteArray();
    }

    private static HttpProtocolException decodeFails(String coding, byte[] encoded) {
        return assertThrows(HttpProtocolException.class, () -> decodeAll(coding, encoded, 100, new int[0]));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        var b = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) {
        var deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        var b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            b.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
