package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Breaks a valid message the ways a hostile or broken peer would: bit flips, truncations, CR, LF and NUL where they do
 * not belong, bytes dropped or repeated, numbers made huge or signed, and extra field lines in the shapes request
 * smuggling uses (a second Content-Length, Transfer-Encoding beside it, obs-fold, whitespace before the colon). One
 * {@link Random} drives it all, so a failing seed replays.
 */
final class Mutations {
    /** Field lines that make the framing ambiguous if a parser is lax; inserted after a head's first line. */
    static final String[] SMUGGLING_LINES = {
            "Content-Length: 5\r\n", "Content-Length: 6\r\n", "Content-Length: 5, 6\r\n", "Content-Length: 05\r\n",
            "Content-Length: +5\r\n", "Content-Length: -1\r\n", "Content-Length: 0x5\r\n",
            "Content-Length: 5\u000b\r\n",
            "Content-Length: 99999999999999999999\r\n", "Transfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked, identity\r\n", "Transfer-Encoding: identity\r\n",
            "Transfer-Encoding: gzip, chunked\r\n", "Transfer-Encoding : chunked\r\n",
            "Transfer-Encoding:\r\n chunked\r\n", "Transfer-Encoding: \r\n",
            "Transfer-Encoding: xchunked\r\n", "Transfer-Encoding: \u0000chunked\r\n", " obs-fold continues\r\n",
            "\tobs-fold continues\r\n", "Host: other.example\r\n", "X-Bare-CR: a\rb\r\n", "X-Bare-LF: a\nb\r\n",
            "Connection: close\r\n", "Connection: keep-alive\r\n", ": no name\r\n", "No-Colon\r\n",
    };
    /** Numbers put in place of a run of digits or hex digits: too long, overflowing, signed, not a number. */
    private static final String[] NUMBERS = {
            "0", "-1", "+1", "99999999999999999999", "7fffffffffffffff", "8000000000000000", "ffffffffffffffff1",
            "10000000000000000", "9223372036854775807", "9223372036854775808", "1 1", "0x10", "",
    };
    private static final byte[][] INSERTS = {
            {'\r'}, {'\n'}, {0}, {'\r', '\n'}, {'\r', '\n', '\r', '\n'}, {' '}, {'\t'}, {(byte) 0xff}, {0x7f}, {0x0b},
    };

    private Mutations() {
    }

    /** {@code message} with one to three mutations. */
    static byte[] mutate(byte[] message, Random random) {
        byte[] out = message;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            out = mutateOnce(out, random);
        }
        return out;
    }

    private static byte[] mutateOnce(byte[] in, Random random) {
        int at = random.nextInt(in.length + 1);
        return switch (random.nextInt(9)) {
            case 0 -> flipBit(in, random);
            case 1 -> Arrays.copyOf(in, at);                                          // truncated
            case 2 -> insert(in, at, INSERTS[random.nextInt(INSERTS.length)]);         // CR, LF, NUL, ...
            case 3 -> remove(in, at, 1 + random.nextInt(4));
            case 4 -> insert(in, at, Arrays.copyOfRange(in, at, Math.min(in.length, at + 1 + random.nextInt(16))));
            case 5 -> replaceNumber(in, random);
            case 6 -> insert(in, afterFirstLine(in), ascii(SMUGGLING_LINES[random.nextInt(SMUGGLING_LINES.length)]));
            case 7 -> hugeFrameLength(in, random);
            default -> setByte(in, random);
        };
    }

    private static byte[] flipBit(byte[] in, Random random) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private static byte[] setByte(byte[] in, Random random) {
        if (in.length == 0) {
            return in;
        }
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
    }

    /** A run of hex digits (a length, a chunk size, a status) replaced by one of {@link #NUMBERS}. */
    private static byte[] replaceNumber(byte[] in, Random random) {
        int start = random.nextInt(in.length + 1);
        while (start < in.length && Character.digit(in[start], 16) < 0) {
            start++;
        }
        int end = start;
        while (end < in.length && Character.digit(in[end], 16) >= 0) {
            end++;
        }
        byte[] number = ascii(NUMBERS[random.nextInt(NUMBERS.length)]);
        return insert(remove(in, start, end - start), start, number);
    }

    /**
     * A WebSocket frame's length made huge: the second byte set to 127 and eight length bytes after it, top bit clear
     * or set. On other messages it is just more bytes in a strange place.
     */
    private static byte[] hugeFrameLength(byte[] in, Random random) {
        if (in.length < 2) {
            return in;
        }
        byte[] out = in.clone();
        out[1] = (byte) ((out[1] & 0x80) | 127);
        byte[] length = new byte[8];
        Arrays.fill(length, (byte) 0xff);
        length[0] = (byte) (random.nextBoolean() ? 0x7f : 0xff);
        return insert(out, 2, length);
    }

    /** Where each head's field lines begin: after each status line (a line starting {@code HTTP/1.}). */
    static List<Integer> afterStatusLines(byte[] in) {
        List<Integer> at = new ArrayList<>();
        byte[] version = ascii("HTTP/1.");
        for (int i = 0; i + version.length <= in.length; i++) {
            if ((i == 0 || in[i - 1] == '\n') && Arrays.equals(in, i, i + version.length, version, 0, version.length)) {
                at.add(i + afterFirstLine(Arrays.copyOfRange(in, i, in.length)));
            }
        }
        return at;
    }

    static int afterFirstLine(byte[] in) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n') {
                return i + 1;
            }
        }
        return in.length;
    }

    static byte[] insert(byte[] in, int at, byte[] what) {
        byte[] out = new byte[in.length + what.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(in, at, out, at + what.length, in.length - at);
        return out;
    }

    private static byte[] remove(byte[] in, int at, int n) {
        n = Math.min(n, in.length - at);
        byte[] out = new byte[in.length - n];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(in, at + n, out, at, in.length - at - n);
        return out;
    }

    /** Cut points for {@code length} bytes: none, one, or several, ascending. */
    static int[] cuts(int length, Random random) {
        int[] cuts = new int[random.nextInt(4)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = length == 0 ? 0 : random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
