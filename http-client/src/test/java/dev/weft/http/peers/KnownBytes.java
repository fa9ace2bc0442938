package dev.weft.http.peers;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The contents of the files {@link Nginx} serves, made again here so a test can compare what it received byte for
 * byte without reading the server's docroot.
 */
public final class KnownBytes {
    /** One line of the text files: 64 bytes, so a line boundary falls on every power of two from 64 up. */
    private static final byte[] LINE =
            "The quick brown fox jumps over the lazy dog. 0123456789 Weft!!!\n".getBytes(StandardCharsets.US_ASCII);

    private KnownBytes() {
    }

    /** {@code size} bytes of ASCII text: the same 64-byte line over and over; gzip shrinks it about 100-fold. */
    public static byte[] text(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = LINE[i % LINE.length];
        }
        return bytes;
    }

    /** {@code size} pseudo-random bytes, the same for the same size: they do not compress. */
    public static byte[] binary(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(size).nextBytes(bytes);
        return bytes;
    }
}
