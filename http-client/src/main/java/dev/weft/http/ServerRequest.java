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

    /**
     * The target's path: everything before {@code ?}, not percent-decoded. Of an absolute-form target
     * ({@code http://host/path?query}, which a server must accept: RFC 9112 §3.2.2), the path after the authority,
     * {@code /} if it has none.
     */
    public String path() {
        String originForm = originForm();
        int query = originForm.indexOf('?');
        return query < 0 ? originForm : originForm.substring(0, query);
    }

    /** The target's query, after {@code ?}, not percent-decoded; null if it has none. */
    public String query() {
        int query = target.indexOf('?');
        return query < 0 ? null : target.substring(query + 1);
    }

    /** The target as an origin form: an absolute form loses its scheme and authority. */
    private String originForm() {
        int scheme = target.indexOf("://");
        if (target.startsWith("/") || scheme <= 0) {
            return target; // origin form, or the asterisk and authority forms, which have no path
        }
        int authority = scheme + 3;
        int end = authority;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        return end == target.length() || target.charAt(end) == '?' ? "/" + target.substring(end)
                : target.substring(end);
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version + " from " + remoteAddress + " (" + body.length + " bytes)";
    }
}
