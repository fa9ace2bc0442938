package dev.weft.http;

import java.net.URI;

/** One request of a chain of redirects: what is sent to where. The headers are the request's own, not the session's. */
record Hop(String method, URI url, HttpHeaders headers, RequestBody body) {
}
