package dev.weft.http;

import java.util.Objects;

/**
 * A request as an {@link HttpServer} received it: its request line, its header fields in order, and its whole body
 * (empty if it had none).
 *
 * @param method        the method, as sent (methods are case-sensitive: {@code GET}, not {@code get})
 * @param target        the request target, as sent: usually the origin form, {@code /path?query}
 * @param version       {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers       the header fields
 * @param body          the body's bytes
 * @param remoteAddress the client's address, {@code host:port}
 */
public record ServerRequest(String method, String target, String version, HttpHeaders headers, byte[] body,
                            String remoteAddress) {
    public ServerRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** The target's path: everything before {@code ?}, not percent-decoded. */
    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The target's query, after {@code ?}, not percent-decoded; null if it has none. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version + " from " + remoteAddress + " (" + body.length + " bytes)";
    }
}
