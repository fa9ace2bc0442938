package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Encodes an {@link HttpServer}'s response heads: the status line with its reason phrase, the handler's fields,
 * {@code Date} (RFC 9110 §6.6.1: a server with a clock sends it; formatted once a second), {@code Content-Length},
 * and {@code Connection} when the server closes or keeps an HTTP/1.0 connection. One per server, on its loop.
 */
final class ResponseHeads {
    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"), Map.entry(201, "Created"), Map.entry(204, "No Content"),
            Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"), Map.entry(303, "See Other"),
            Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"), Map.entry(413, "Content Too Large"),
            Map.entry(418, "I'm a teapot"), Map.entry(429, "Too Many Requests"),
            Map.entry(431, "Request Header Fields Too Large"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"),
            Map.entry(505, "HTTP Version Not Supported"));

    /**
     * IMF-fixdate (RFC 9110 §5.6.7), {@code Sun, 06 Nov 1994 08:49:37 GMT}: the day always in two digits, which
     * {@link DateTimeFormatter#RFC_1123_DATE_TIME} leaves at one from the 1st to the 9th.
     */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private long dateSecond = Long.MIN_VALUE;
    private String date;

    byte[] encode(ServerResponse response, boolean keepAlive, boolean http10) {
        StringBuilder head = new StringBuilder(128)
                .append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(REASONS.getOrDefault(response.status(), "")).append("\r\n");
        boolean hasDate = false;
        for (Entry<String, String> field : response.headers()) {
            head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
            hasDate |= field.getKey().equalsIgnoreCase("Date");
        }
        if (!hasDate) {
            head.append("Date: ").append(now()).append("\r\n");
        }
        if (response.status() != 204 && response.status() != 304) {
            head.append("Content-Length: ").append(response.body().length).append("\r\n");
        }
        if (!response.headers().contains("Connection")) {
            if (!keepAlive) {
                head.append("Connection: close\r\n");
            } else if (http10) {
                head.append("Connection: keep-alive\r\n"); // an HTTP/1.0 client's connection is kept only if said
            }
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private String now() {
        long second = System.currentTimeMillis() / 1000;
        if (second != dateSecond) {
            dateSecond = second;
            date = imfFixdate(Instant.ofEpochSecond(second));
        }
        return date;
    }

    static String imfFixdate(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
