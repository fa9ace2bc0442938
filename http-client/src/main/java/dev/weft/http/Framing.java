package dev.weft.http;

/**
 * How a response's body is delimited, read from its Transfer-Encoding and Content-Length fields (RFC 9112 §6).
 */
final class Framing {
    private Framing() {
    }

    /**
     * Whether the body is chunked. Chunked is the only transfer coding the client takes: any other (gzip as a
     * transfer coding, chunked applied twice or not last) is an error rather than a body read wrongly.
     */
    static boolean isChunked(HttpHeaders headers) throws HttpProtocolException {
        boolean chunked = false;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.nameAt(i).equalsIgnoreCase("Transfer-Encoding")) {
                continue;
            }
            String value = headers.valueAt(i);
            boolean coding = false; // a field that names no coding at all is as ambiguous as an unknown one
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int s = start;
                int e = end;
                while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) {
                    s++;
                }
                while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) {
                    e--;
                }
                if (s < e) {
                    if (e - s != 7 || !value.regionMatches(true, s, "chunked", 0, 7) || chunked) {
                        throw new HttpProtocolException("unsupported Transfer-Encoding \"" + all(headers,
                                "Transfer-Encoding") + "\": the client reads only \"chunked\", once");
                    }
                    chunked = true;
                    coding = true;
                }
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
            if (!coding) {
                throw new HttpProtocolException("unsupported Transfer-Encoding \"" + all(headers, "Transfer-Encoding")
                        + "\": a field that names no coding leaves the body's framing unknown");
            }
        }
        return chunked;
    }

    /**
     * The body's length from Content-Length, or -1 if there is none. Repeated equal values (as {@code 10, 10} or two
     * fields) are one length; different values, or anything but digits, are an error (RFC 9112 §6.3 item 5).
     */
    static long contentLength(HttpHeaders headers) throws HttpProtocolException {
        long length = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.nameAt(i).equalsIgnoreCase("Content-Length")) {
                continue;
            }
            String value = headers.valueAt(i);
            int start = 0;
            while (true) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                long n = digits(value, start, end, headers);
                if (length >= 0 && n != length) {
                    throw new HttpProtocolException("conflicting Content-Length values " + length + " and " + n
                            + " (\"" + all(headers, "Content-Length") + "\"): the body's length is unknown");
                }
                length = n;
                if (comma < 0) {
                    break;
                }
                start = comma + 1;
            }
        }
        return length;
    }

    private static long digits(String value, int start, int end, HttpHeaders headers) throws HttpProtocolException {
        while (start < end && (value.charAt(start) == ' ' || value.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (value.charAt(end - 1) == ' ' || value.charAt(end - 1) == '\t')) {
            end--;
        }
        if (start == end || end - start > 18) {
            throw badLength(headers);
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw badLength(headers);
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static HttpProtocolException badLength(HttpHeaders headers) {
        return new HttpProtocolException("malformed Content-Length \"" + all(headers, "Content-Length")
                + "\": expected a decimal number of at most 18 digits");
    }

    private static String all(HttpHeaders headers, String name) {
        return String.join(", ", headers.all(name));
    }
}
