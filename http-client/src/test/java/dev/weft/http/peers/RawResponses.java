package dev.weft.http.peers;

import java.nio.charset.StandardCharsets;

/**
 * Ready-made response bytes, good and bad, for {@link RawConnection#write(String)}. Each is a whole message unless
 * its name says otherwise; a script combines them with its own timing ({@code drip}, {@code pause}) and ending
 * ({@code close}, {@code reset}).
 */
public final class RawResponses {
    private RawResponses() {
    }

    /** 200 with {@code body} and its Content-Length. */
    public static String ok(String body) {
        return status(200, "OK", body);
    }

    /** Any status with {@code body} and its Content-Length (in bytes of its ISO-8859-1 encoding). */
    public static String status(int code, String reason, String body) {
        return "HTTP/1.1 " + code + " " + reason + "\r\nContent-Length: " + length(body) + "\r\n\r\n" + body;
    }

    /** 200 with the body in chunked coding, one chunk per argument, and the last chunk. */
    public static String chunked(String... chunks) {
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (String chunk : chunks) {
            response.append(Integer.toHexString(length(chunk))).append("\r\n").append(chunk).append("\r\n");
        }
        return response.append("0\r\n\r\n").toString();
    }

    /**
     * 200 whose Content-Length says {@code declaredLength} but with {@code body}: shorter is a truncated body (close
     * after writing it), longer leaves bytes that a client must not take as the next response.
     */
    public static String wrongContentLength(int declaredLength, String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + declaredLength + "\r\n\r\n" + body;
    }

    /** Only the head of a 200 promising {@code declaredLength} bytes: write body bytes after it, or none. */
    public static String headOnly(int declaredLength) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + declaredLength + "\r\n\r\n";
    }

    /** A status line that is no HTTP at all, then a blank line. */
    public static String garbageStatusLine() {
        return "HTPT/1.1 2OO NOT OK\r\n\r\n";
    }

    /** A 200 whose status line is {@code length} bytes long (its reason phrase padded), with an empty body. */
    public static String longStatusLine(int length) {
        String start = "HTTP/1.1 200 ";
        return start + "x".repeat(Math.max(0, length - start.length())) + "\r\nContent-Length: 0\r\n\r\n";
    }

    /** A 200 with {@code count} distinct header fields ({@code X-Header-<i>: <i>}) and an empty body. */
    public static String manyHeaders(int count) {
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < count; i++) {
            response.append("X-Header-").append(i).append(": ").append(i).append("\r\n");
        }
        return response.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static int length(String body) {
        return body.getBytes(StandardCharsets.ISO_8859_1).length;
    }
}
