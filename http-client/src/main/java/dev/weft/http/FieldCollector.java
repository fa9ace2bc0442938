package dev.weft.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The field lines of one header or trailer section (RFC 9112 §5), parsed from a line's bytes into names and values,
 * with the field count held to {@link ResponseLimits#maxHeaders()}. Reused from response to response.
 */
final class FieldCollector {
    private final ResponseLimits limits;
    private String[] pairs = new String[32];
    private int length;
    /** The interim (1xx) response before this head, for an error message; null if none. */
    String interim;

    FieldCollector(ResponseLimits limits) {
        this.limits = limits;
    }

    void clear() {
        Arrays.fill(pairs, 0, length, null);
        length = 0;
    }

    int count() {
        return length / 2;
    }

    HttpHeaders build() {
        return length == 0 ? HttpHeaders.EMPTY : new HttpHeaders(Arrays.copyOf(pairs, length));
    }

    /**
     * Adds the field line {@code [s, e)} of {@code b}: {@code name: value}, a token name with no space before the
     * colon, the value without its surrounding whitespace; a line that starts with whitespace continues the last
     * value (obs-fold, replaced by one space as RFC 9112 §5.2 allows).
     */
    void parse(ByteBuffer b, int s, int e, String kind) throws HttpProtocolException {
        byte first = b.get(s);
        if (first == ' ' || first == '\t') {
            if (length == 0) {
                throw malformed(kind, b, s, e, "it starts with whitespace (obs-fold) but no field comes before it");
            }
            String more = value(b, s, e, s, kind);
            String last = pairs[length - 1];
            pairs[length - 1] = more.isEmpty() ? last : last.isEmpty() ? more : last + ' ' + more;
            return;
        }
        int colon = s;
        while (colon < e && b.get(colon) != ':') {
            int c = b.get(colon) & 0xff;
            if (!HttpChars.isTchar(c)) {
                throw malformed(kind, b, s, e, "its name holds " + HttpChars.describe(c)
                        + (c == ' ' || c == '\t' ? " (no whitespace is allowed before the colon)"
                        : "; a name is a token"));
            }
            colon++;
        }
        if (colon == e) {
            throw malformed(kind, b, s, e, "it has no colon");
        }
        if (colon == s) {
            throw malformed(kind, b, s, e, "its name is empty");
        }
        if (length / 2 >= limits.maxHeaders()) {
            throw new HttpProtocolException("the response has more than " + limits.maxHeaders() + " " + kind
                    + " fields (ResponseLimits.maxHeaders)");
        }
        String name = KnownNames.lookup(b, s, colon);
        if (name == null) {
            name = latin1(b, s, colon);
        }
        String value = value(b, colon + 1, e, s, kind);
        if (length == pairs.length) {
            pairs = Arrays.copyOf(pairs, length * 2);
        }
        pairs[length++] = name;
        pairs[length++] = value;
    }

    /** The bytes {@code [s, e)} without leading and trailing SP and HTAB; NUL and CR are errors in the line. */
    private static String value(ByteBuffer b, int s, int e, int line, String kind) throws HttpProtocolException {
        int from = s;
        while (from < e && isOws(b.get(from))) {
            from++;
        }
        int to = e;
        while (to > from && isOws(b.get(to - 1))) {
            to--;
        }
        for (int i = from; i < to; i++) {
            byte c = b.get(i);
            if (c == 0 || c == '\r') {
                throw malformed(kind, b, line, e, "its value holds " + HttpChars.describe(c));
            }
        }
        return from == to ? "" : latin1(b, from, to);
    }

    private static boolean isOws(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The bytes {@code [from, to)} as ISO-8859-1 text: one char per byte, the head's charset. */
    static String latin1(ByteBuffer b, int from, int to) {
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + from, to - from, StandardCharsets.ISO_8859_1);
        }
        byte[] bytes = new byte[to - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static HttpProtocolException malformed(String kind, ByteBuffer b, int s, int e, String why) {
        return new HttpProtocolException("malformed " + kind + " field line " + HttpChars.excerpt(b, s, e) + ": "
                + why);
    }
}
