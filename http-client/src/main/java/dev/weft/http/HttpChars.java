package dev.weft.http;

/**
 * The character classes of RFC 9110 §5.6 that the codec checks, as lookup tables (no regexes on the hot path), and
 * how an offending character is named in an error message.
 */
final class HttpChars {
    /** tchar: the characters of a token (header names, methods, transfer codings). */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 'a' + 'A'] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpChars() {
    }

    static boolean isTchar(int b) {
        return b >= 0 && b < 256 && TCHAR[b];
    }

    /** Whether {@code s} is a non-empty token; the first offending index, or -1 if it is one. */
    static int firstNonTchar(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A character as an error message shows it: {@code 'a'}, {@code CR (0x0d)}, {@code U+20AC}. */
    static String describe(int c) {
        return switch (c) {
            case '\r' -> "CR (0x0d)";
            case '\n' -> "LF (0x0a)";
            case 0 -> "NUL (0x00)";
            case '\t' -> "HTAB (0x09)";
            case ' ' -> "a space";
            default -> c < 0x20 || c == 0x7f ? String.format("control character 0x%02x", c)
                    : c > 0xff ? String.format("U+%04X", c)
                    : c > 0x7e ? String.format("byte 0x%02x", c)
                    : "'" + (char) c + "'";
        };
    }

    /** Up to 40 characters of some bytes, printable, for an error message that shows what came. */
    static String excerpt(java.nio.ByteBuffer buf, int from, int to) {
        StringBuilder sb = new StringBuilder("\"");
        int end = Math.min(to, from + 40);
        for (int i = from; i < end; i++) {
            int b = buf.get(i) & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.append(end < to ? "\"..." : "\"").toString();
    }
}
