package dev.weft.http;

import java.nio.ByteBuffer;

/**
 * The framing around one gzip member's deflate data (RFC 1952 §2.3): the header (magic, method, flags and the
 * optional extra field, name, comment and header CRC) before it, and the CRC-32 and length after it. Read a byte at a
 * time, since a member's framing may be split across any two reads; the header is a few bytes, the body is left to
 * the {@code Inflater}.
 */
final class GzipMember {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum Step { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DONE }

    private Step step = Step.FIXED;
    private int flags;
    private int read;     // bytes read of the current step
    private int skip;     // bytes left of the extra field
    private long trailer; // the trailer's bytes so far, little-endian
    private int trailerRead;

    /** Starts over for the next member. */
    void reset() {
        step = Step.FIXED;
        flags = 0;
        read = 0;
        skip = 0;
        trailer = 0;
        trailerRead = 0;
    }

    /** Where the header reading is, for an error message. */
    boolean headerStarted() {
        return step != Step.FIXED || read > 0;
    }

    /** Reads header bytes from {@code in}; true once the whole header is read. */
    boolean readHeader(ByteBuffer in) throws HttpProtocolException {
        while (step != Step.DONE) {
            if (!in.hasRemaining()) {
                return false;
            }
            int b = in.get() & 0xff;
            switch (step) {
                case FIXED -> {
                    // ID1 ID2 CM FLG MTIME(4) XFL OS
                    if ((read == 0 && b != 0x1f) || (read == 1 && b != 0x8b)) {
                        throw new HttpProtocolException("malformed gzip body: it does not start with the gzip magic"
                                + " bytes 1f 8b; the server's Content-Encoding is wrong");
                    }
                    if (read == 2 && b != 8) {
                        throw new HttpProtocolException("malformed gzip body: compression method " + b
                                + " is not deflate (8)");
                    }
                    if (read == 3) {
                        if ((b & 0xe0) != 0) {
                            throw new HttpProtocolException("malformed gzip body: reserved header flags are set (0x"
                                    + Integer.toHexString(b) + ")");
                        }
                        flags = b;
                    }
                    if (++read == 10) {
                        read = 0;
                        step = next(Step.FIXED);
                    }
                }
                case EXTRA_LENGTH -> {
                    skip |= b << (8 * read);
                    if (++read == 2) {
                        read = 0;
                        step = skip == 0 ? next(Step.EXTRA) : Step.EXTRA;
                    }
                }
                case EXTRA -> {
                    if (--skip == 0) {
                        step = next(Step.EXTRA);
                    }
                }
                case NAME, COMMENT -> {
                    if (b == 0) {
                        step = next(step);
                    }
                }
                case HEADER_CRC -> {
                    if (++read == 2) {
                        read = 0;
                        step = Step.DONE;
                    }
                }
                case DONE -> throw new AssertionError();
            }
        }
        return true;
    }

    /** The step after {@code done}, skipping the optional parts the flags leave out. */
    private Step next(Step done) {
        return switch (done) {
            case FIXED -> (flags & FEXTRA) != 0 ? Step.EXTRA_LENGTH : next(Step.EXTRA);
            case EXTRA_LENGTH, EXTRA -> (flags & FNAME) != 0 ? Step.NAME : next(Step.NAME);
            case NAME -> (flags & FCOMMENT) != 0 ? Step.COMMENT : next(Step.COMMENT);
            case COMMENT -> (flags & FHCRC) != 0 ? Step.HEADER_CRC : Step.DONE;
            case HEADER_CRC, DONE -> Step.DONE;
        };
    }

    /**
     * Reads trailer bytes from {@code in}; true once all 8 are read and they match the member's data.
     *
     * @throws HttpProtocolException if the CRC-32 or the length (mod 2^32) differ from what was decoded
     */
    boolean readTrailer(ByteBuffer in, long crc32, long decodedSize) throws HttpProtocolException {
        while (trailerRead < 8) {
            if (!in.hasRemaining()) {
                return false;
            }
            trailer |= (long) (in.get() & 0xff) << (8 * trailerRead++);
        }
        long expectedCrc = trailer & 0xffffffffL;
        long expectedSize = trailer >>> 32;
        if (expectedCrc != crc32) {
            throw new HttpProtocolException(String.format("malformed gzip body: its CRC-32 is %08x but the data "
                    + "decoded to %08x; the body is corrupt", expectedCrc, crc32));
        }
        if (expectedSize != (decodedSize & 0xffffffffL)) {
            throw new HttpProtocolException("malformed gzip body: its trailer says " + expectedSize
                    + " bytes (mod 2^32) but it decoded to " + decodedSize);
        }
        return true;
    }
}
