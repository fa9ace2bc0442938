package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * Parses a request's head (RFC 9112 §2-5) as {@link HttpServer} receives it whole: the request line and the field
 * lines, CRLF-terminated. Strict, as a server should be toward what it cannot vouch for: no obs-fold, no whitespace
 * before a colon, no control characters, exactly one {@code Host} in HTTP/1.1 (§3.2).
 */
final class RequestHeadParser {
    /** Field lines allowed in one request; more is answered 431. */
    static final int MAX_FIELDS = 100;

    /** The parsed head. */
    record Head(String method, String target, String version, HttpHeaders headers) {
    }

    private RequestHeadParser() {
    }

    /** Whether the bytes are nothing but empty lines (CRLFs): what a client may send before a request line. */
    static boolean isEmptyLines(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i += 2) {
            if (bytes[i] != '\r' || bytes[i + 1] != '\n') {
                return false;
            }
        }
        return bytes.length % 2 == 0;
    }

    /** Parse the head's bytes, up to and including the empty line that ends it; empty lines before it are skipped. */
    static Head parse(byte[] bytes) throws BadRequestException {
        String head = new String(bytes, StandardCharsets.ISO_8859_1).replaceFirst("^(\r\n)+", "");
        String[] lines = head.split("\r\n", -1);
        // A head ends with CRLF CRLF: the split's last two items are empty.
        int fieldLines = lines.length - 3;
        if (fieldLines < 0) {
            throw bad("the request has no request line");
        }
        if (fieldLines > MAX_FIELDS) {
            throw new BadRequestException(431, "the request has more than " + MAX_FIELDS + " header fields");
        }
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3) {
            throw bad("the request line is not 'METHOD target HTTP/1.1': " + excerpt(lines[0]));
        }
        String method = requestLine[0];
        String target = requestLine[1];
        String version = requestLine[2];
        if (method.isEmpty() || HttpChars.firstNonTchar(method) >= 0) {
            throw bad("the method is not a token: " + excerpt(method));
        }
        if (target.isEmpty() || !target.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw bad("the request target is empty or holds a space or control character: " + excerpt(target));
        }
        if (!version.matches("HTTP/\\d\\.\\d")) {
            throw bad("the request line does not end with an HTTP version: " + excerpt(lines[0]));
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new BadRequestException(505, "this server speaks HTTP/1.1 and HTTP/1.0, not " + version);
        }
        HttpHeaders headers = fields(lines, fieldLines);
        if (version.equals("HTTP/1.1") && headers.all("Host").size() != 1) {
            throw bad("an HTTP/1.1 request has exactly one Host field; this one has " + headers.all("Host").size());
        }
        return new Head(method, target, version, headers);
    }

    private static HttpHeaders fields(String[] lines, int count) throws BadRequestException {
        HttpHeaders.Builder headers = HttpHeaders.builder();
        for (int i = 1; i <= count; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw bad(line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                        ? "a field line starts with whitespace (obs-fold is not accepted): " + excerpt(line)
                        : "a field line has no name before a colon: " + excerpt(line));
            }
            String name = line.substring(0, colon);
            if (HttpChars.firstNonTchar(name) >= 0) {
                throw bad("a field name is not a token (no whitespace before the colon): " + excerpt(name));
            }
            try {
                headers.add(name, withoutOws(line, colon + 1));
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }
        return headers.build();
    }

    /**
     * The field value: the line after the colon without the OWS around it, which is spaces and tabs only (RFC 9110
     * §5.6.3). String.strip would also drop a vertical tab or a file separator, and take {@code 5\u000b} for a
     * Content-Length of 5 that a proxy in front may have read otherwise; kept, they are refused as control characters.
     */
    private static String withoutOws(String line, int from) {
        int to = line.length();
        while (from < to && isOws(line.charAt(from))) {
            from++;
        }
        while (to > from && isOws(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static BadRequestException bad(String why) {
        return new BadRequestException(400, why);
    }

    private static String excerpt(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
