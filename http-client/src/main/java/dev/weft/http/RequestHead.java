package dev.weft.http;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The request line and header section of a request (RFC 9112 §3), as bytes ready to write. The method and target are
 * checked here; the header fields were checked when they were added to their {@link HttpHeaders}.
 */
final class RequestHead {
    private RequestHead() {
    }

    /**
     * {@code GET /x HTTP/1.1\r\nName: value\r\n...\r\n\r\n} in ISO-8859-1, in one heap buffer of exactly its size.
     *
     * @throws IllegalArgumentException if the method is not a token, or the target is empty or holds a space, a CR,
     *                                  an LF, another control character or a non-ASCII character
     */
    static ByteBuffer encode(String method, String target, HttpHeaders headers) {
        checkMethod(method);
        checkTarget(target);
        int size = method.length() + 1 + target.length() + 11 + 2;
        for (int i = 0; i < headers.size(); i++) {
            size += headers.nameAt(i).length() + 2 + headers.valueAt(i).length() + 2;
        }
        byte[] out = new byte[size];
        int p = put(out, 0, method);
        out[p++] = ' ';
        p = put(out, p, target);
        p = put(out, p, " HTTP/1.1\r\n");
        for (int i = 0; i < headers.size(); i++) {
            p = put(out, p, headers.nameAt(i));
            out[p++] = ':';
            out[p++] = ' ';
            p = put(out, p, headers.valueAt(i));
            out[p++] = '\r';
            out[p++] = '\n';
        }
        out[p++] = '\r';
        out[p] = '\n';
        return ByteBuffer.wrap(out);
    }

    /** Copies {@code s}, every char of it below 0x100 (checked before), as ISO-8859-1 bytes. */
    private static int put(byte[] out, int p, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[p + i] = (byte) s.charAt(i);
        }
        return p + s.length();
    }

    private static void checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        if (method.isEmpty()) {
            throw new IllegalArgumentException("the request method cannot be empty");
        }
        int bad = HttpChars.firstNonTchar(method);
        if (bad >= 0) {
            throw new IllegalArgumentException("the request method \"" + method.replace("\r", "\\r")
                    .replace("\n", "\\n") + "\" holds " + HttpChars.describe(method.charAt(bad)) + " at index " + bad
                    + ": a method is a token, as GET or PROPFIND");
        }
    }

    private static void checkTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (target.isEmpty()) {
            throw new IllegalArgumentException("the request target cannot be empty: use \"/\" for the root");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("the request target holds " + HttpChars.describe(c)
                        + " at index " + i + ": percent-encode it (a target is ASCII with no spaces or line ends)");
            }
        }
    }
}
