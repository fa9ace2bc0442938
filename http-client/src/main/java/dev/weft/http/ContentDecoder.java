package dev.weft.http;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a body's Content-Encoding as it comes: gzip (RFC 1952, several members allowed), deflate — as RFC 9110
 * says, zlib-wrapped (RFC 1950), and raw (RFC 1951) as some servers send it, told apart by the first two bytes — and
 * identity. The JDK's {@code Inflater} does the work.
 *
 * <p>A decompression-bomb guard: once more than {@link #RATIO_FLOOR} bytes have come out, the decoded size may not
 * pass {@code maxRatio} times the compressed bytes read, checked as the output grows so a bomb is stopped before it
 * fills memory; and whatever the guards, one call decodes at most {@link #MAX_OUTPUT} bytes. Bytes after the end
 * of the compressed stream are ignored, as the JDK's {@code GZIPInputStream} does.
 * Not thread-safe; {@link #close()} releases the inflater's native memory early (finish does it too).
 */
final class ContentDecoder implements AutoCloseable {
    /** Decoded bytes below which the ratio guard does not apply: a small body can do no harm at any ratio. */
    static final int RATIO_FLOOR = 1 << 20;
    /**
     * The most one {@link #decode} call returns: what a bomb's chunk becomes in memory at once, whatever the guards
     * (64 KiB of gzip'd zeros inflate to 64 MiB).
     */
    static final int MAX_OUTPUT = 256 * 1024;

    private enum Kind { IDENTITY, GZIP, DEFLATE }

    private enum GzipStep { HEADER, DATA, TRAILER, MEMBER_END, IGNORING }

    private final Kind kind;
    private final int maxRatio;
    private Inflater inflater;
    private ByteBuffer out;
    private long compressed;
    private long decoded;
    private ByteBuffer input;
    private int inputStart;

    private GzipMember member;
    private GzipStep gzipStep = GzipStep.HEADER;
    private CRC32 crc;
    private long memberDecoded;

    private boolean stalled; // the output filled up: the inflater may hold more for it, with or without input left

    private final byte[] probe = new byte[2];
    private int probeLength;

    private ContentDecoder(Kind kind, int maxRatio) {
        this.kind = kind;
        this.maxRatio = maxRatio;
        if (kind == Kind.GZIP) {
            member = new GzipMember();
            crc = new CRC32();
            inflater = new Inflater(true);
        }
        if (kind != Kind.IDENTITY) {
            out = ByteBuffer.allocate(16 * 1024);
        }
    }

    /**
     * A decoder for the value of a Content-Encoding field: gzip (or x-gzip), deflate, identity, or null or empty for
     * none.
     *
     * @param maxRatio the most decoded bytes per compressed byte, or -1 for no guard ({@link ResponseLimits})
     * @throws HttpProtocolException if the coding is not one of those (the server ignored Accept-Encoding)
     */
    static ContentDecoder forEncoding(String contentEncoding, int maxRatio) throws HttpProtocolException {
        String coding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (coding) {
            case "", "identity" -> new ContentDecoder(Kind.IDENTITY, maxRatio);
            case "gzip", "x-gzip" -> new ContentDecoder(Kind.GZIP, maxRatio);
            case "deflate" -> new ContentDecoder(Kind.DEFLATE, maxRatio);
            default -> throw new HttpProtocolException("unsupported Content-Encoding \"" + contentEncoding
                    + "\": the client decodes gzip, deflate and identity; the server ignored Accept-Encoding");
        };
    }

    /** Whether it hands its input on as it is (no encoding, or identity): then what it returns is a slice of it. */
    boolean passesThrough() {
        return kind == Kind.IDENTITY;
    }

    /**
     * Consumes {@code compressed} and returns what it decoded to (maybe nothing yet), in a buffer of the decoder's own
     * that is valid until the next call. Once the output reaches {@link #MAX_OUTPUT} bytes it stops, leaving the rest
     * of the input in {@code compressed}: call again, with the same buffer, while it has any or while
     * {@link #hasPendingOutput()}. Identity always takes all of it.
     *
     * @throws HttpProtocolException if the data is malformed or the ratio guard trips
     */
    ByteBuffer decode(ByteBuffer compressed) throws HttpProtocolException {
        if (kind == Kind.IDENTITY) {
            ByteBuffer all = compressed.slice();
            compressed.position(compressed.limit());
            return all;
        }
        input = compressed;
        inputStart = compressed.position();
        out.clear();
        try {
            if (kind == Kind.GZIP) {
                decodeGzip(compressed);
            } else {
                decodeDeflate(compressed);
            }
        } finally {
            this.compressed += compressed.position() - inputStart;
            input = null;
        }
        return out.flip();
    }

    private void decodeGzip(ByteBuffer in) throws HttpProtocolException {
        while ((in.hasRemaining() || stalled) && !outputFull()) {
            switch (gzipStep) {
                case HEADER -> {
                    if (member.readHeader(in)) {
                        gzipStep = GzipStep.DATA;
                    }
                }
                case DATA -> {
                    inflate(in);
                    if (inflater.finished()) {
                        gzipStep = GzipStep.TRAILER;
                    }
                }
                case TRAILER -> {
                    if (member.readTrailer(in, crc.getValue(), memberDecoded)) {
                        gzipStep = GzipStep.MEMBER_END;
                    }
                }
                case MEMBER_END -> {
                    if (in.get(in.position()) == 0x1f) {  // another member follows (RFC 1952 §2.2)
                        member.reset();
                        inflater.reset();
                        crc.reset();
                        memberDecoded = 0;
                        gzipStep = GzipStep.HEADER;
                    } else {
                        gzipStep = GzipStep.IGNORING;
                    }
                }
                case IGNORING -> in.position(in.limit());
            }
        }
    }

    private void decodeDeflate(ByteBuffer in) throws HttpProtocolException {
        if (inflater == null) {
            while (probeLength < 2 && in.hasRemaining()) {
                probe[probeLength++] = in.get();
            }
            if (probeLength < 2) {
                return;
            }
            // A zlib header: method 8 in the low nibble of CMF, and CMF*256+FLG a multiple of 31 (RFC 1950 §2.2).
            int cmf = probe[0] & 0xff;
            boolean zlib = (cmf & 0x0f) == 8 && ((cmf << 8) | (probe[1] & 0xff)) % 31 == 0;
            inflater = new Inflater(!zlib);
            inflate(ByteBuffer.wrap(probe));
        }
        if (!inflater.finished()) {
            inflate(in);
        }
        if (inflater.finished()) {
            in.position(in.limit());  // past the end of the stream
        }
    }

    /** Inflates what {@code src} holds into {@code out}, growing it, until the input or the stream ends. */
    private void inflate(ByteBuffer src) throws HttpProtocolException {
        inflater.setInput(src);
        stalled = false;
        while (!inflater.finished()) {
            if (outputFull()) {
                stalled = true;  // the rest waits for the next call
                break;
            }
            if (!out.hasRemaining()) {
                out = ByteBuffer.allocate(Math.min(out.capacity() * 2, MAX_OUTPUT)).put(out.flip());
            }
            int before = out.position();
            int n;
            try {
                n = inflater.inflate(out);
            } catch (DataFormatException e) {
                throw new HttpProtocolException("malformed " + name() + " body after " + compressedSoFar()
                        + " compressed bytes: " + e.getMessage(), e);
            }
            if (crc != null) {
                crc.update(out.array(), out.arrayOffset() + before, n);
            }
            decoded += n;
            memberDecoded += n;
            checkRatio();
            if (n == 0 && out.hasRemaining()) {
                if (inflater.needsDictionary()) {
                    throw new HttpProtocolException("malformed " + name() + " body: it needs a preset dictionary, "
                            + "which HTTP does not provide");
                }
                break;  // needs input
            }
        }
        inflater.setInput(probe, 0, 0);  // let go of the caller's buffer: it is theirs again
    }

    /** Whether the last {@link #decode} stopped at {@link #MAX_OUTPUT} with more to give: call it again. */
    boolean hasPendingOutput() {
        return stalled;
    }

    private boolean outputFull() {
        return out.position() >= MAX_OUTPUT;
    }

    private long compressedSoFar() {
        return compressed + (input == null ? 0 : input.position() - inputStart);
    }

    private void checkRatio() throws HttpProtocolException {
        if (maxRatio >= 0 && decoded > RATIO_FLOOR && decoded > (long) maxRatio * compressedSoFar()) {
            throw new HttpProtocolException("the " + name() + " body expands more than " + maxRatio
                    + " times (ResponseLimits.maxDecompressionRatio): " + decoded + " bytes from "
                    + compressedSoFar() + "; a decompression bomb, or raise the limit");
        }
    }

    /**
     * Checks that the compressed stream ended: a body cut short is an error, not a shorter body. An empty body is
     * fine (servers label empty bodies with an encoding too). Releases the inflater.
     *
     * @throws HttpProtocolException if the stream was truncated
     */
    void finish() throws HttpProtocolException {
        try {
            if (kind == Kind.IDENTITY || compressed == 0) {
                return;
            }
            String where = null;
            if (kind == Kind.GZIP) {
                where = switch (gzipStep) {
                    case HEADER -> member.headerStarted() ? "in a member's header" : null;
                    case DATA -> "in the compressed data";
                    case TRAILER -> "in the trailer (CRC-32 and length)";
                    case MEMBER_END, IGNORING -> null;
                };
            } else if (inflater == null || !inflater.finished()) {
                where = "in the compressed data";
            }
            if (where != null) {
                throw new HttpProtocolException("truncated " + name() + " body: it ended " + where + ", after "
                        + compressed + " compressed bytes (" + decoded + " decoded)");
            }
        } finally {
            close();
        }
    }

    /** Releases the inflater; the decoder cannot be used after. */
    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
        }
    }

    private String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
