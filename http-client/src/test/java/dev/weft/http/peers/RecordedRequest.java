package dev.weft.http.peers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request as a {@link RawServer} received it, for asserting what a client sent.
 *
 * @param connection the index of the connection it came on (0 for the first one the server accepted), so a test can
 *                   tell a reused connection from a new one
 * @param head       the request line and headers exactly as received, up to and including the blank line
 * @param headers    the header fields in the order received, names as sent
 * @param body       the body (decoded if it came chunked); empty if there was none or it was not read
 */
public record RecordedRequest(int connection, String head, String method, String target, String version,
                              List<Header> headers, byte[] body) {

    /** One header field as received. */
    public record Header(String name, String value) {
    }

    /** The first value of the header {@code name} (case-insensitive), or null if it was not sent. */
    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                .orElse(null);
    }

    /** Every value of the header {@code name} (case-insensitive), in order. */
    public List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "#" + connection + " " + method + " " + target + " " + version + " " + headers + " (" + body.length
                + " body bytes)";
    }
}
