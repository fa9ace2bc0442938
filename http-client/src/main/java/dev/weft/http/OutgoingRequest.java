package dev.weft.http;

import java.net.URI;
import java.util.Objects;

/**
 * A request as it goes out: what an {@link Interceptor} sees and may change, and one hop of a chain of redirects.
 * Immutable: the {@code with...} methods return a changed copy. The headers are the request's own; the session adds
 * {@code Host}, its default headers, cookies and {@code Content-Length} when it sends it.
 *
 * @param method the method, such as {@code GET}
 * @param url    an absolute http or https URL
 * @param headers the request's own header fields
 * @param body   the body, or null for none
 */
public record OutgoingRequest(String method, URI url, HttpHeaders headers, RequestBody body) {

    /** @throws IllegalArgumentException if the URL is not an absolute http or https URL with a host */
    public OutgoingRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(headers, "headers");
        Origin.of(url); // an unsupported scheme or no host fails here, not when it is sent
    }

    /** This request with the header set to the one value, replacing any it had. */
    public OutgoingRequest withHeader(String name, String value) {
        return new OutgoingRequest(method, url, headers.toBuilder().set(name, value).build(), body);
    }

    /** This request with these header fields instead of its own. */
    public OutgoingRequest withHeaders(HttpHeaders replacement) {
        return new OutgoingRequest(method, url, replacement, body);
    }

    /** This request to another URL. @throws IllegalArgumentException if it is not an absolute http or https URL */
    public OutgoingRequest withUrl(URI target) {
        return new OutgoingRequest(method, target, headers, body);
    }

    /** Where it goes. */
    public Origin origin() {
        return Origin.of(url);
    }

    /**
     * Whether the body can be sent again from its start, so a retry may repeat the request: a body in memory or a
     * file can; one streamed from a producer cannot once it has begun ({@link RequestBody#repeatable()}).
     */
    boolean replayable() {
        return body == null || body.repeatable();
    }

    @Override
    public String toString() {
        return method + " " + url;
    }
}
