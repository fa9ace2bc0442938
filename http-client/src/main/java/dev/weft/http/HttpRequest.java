package dev.weft.http;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A request being built: headers and a body, then {@link #send()}. Header names and values are checked as they are
 * added: a CR, LF or NUL is refused before anything is sent.
 */
public final class HttpRequest {
    private final HttpSession session;
    private final String method;
    private URI url;
    private final HttpHeaders.Builder headers = HttpHeaders.builder();
    private RequestBody body;
    private int maxRedirects = -1; // the session's
    private RetryPolicy retry;     // null: the session's
    private HttpProxy proxy;       // null: the session's rules

    HttpRequest(HttpSession session, String method, URI url) {
        this.session = session;
        this.method = Objects.requireNonNull(method, "method");
        this.url = url;
        Origin.of(url); // an unsupported scheme or no host fails here, not at send()
    }

    public String method() {
        return method;
    }

    public URI url() {
        return url;
    }

    /** Add a header; a request may carry a name more than once. */
    public HttpRequest header(String name, String value) {
        headers.add(name, value);
        return this;
    }

    /** Add a query parameter, percent-encoded (UTF-8), after those the URL has. */
    public HttpRequest query(String name, String value) {
        String pair = encode(name) + "=" + encode(value);
        String base = url.toString();
        int fragment = base.indexOf('#');
        if (fragment >= 0) {
            base = base.substring(0, fragment); // a fragment is never sent
        }
        url = URI.create(base + (url.getRawQuery() == null ? "?" : "&") + pair);
        return this;
    }

    /** Authenticate with HTTP Basic (RFC 7617): the user and password, UTF-8, in the Authorization header. */
    public HttpRequest basicAuth(String user, String password) {
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user name cannot contain ':' (RFC 7617)");
        }
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        headers.set("Authorization", "Basic " + credentials);
        return this;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The body: bytes, text, a form, a file streamed from disk, a producer, a multipart form ({@link RequestBody},
     * {@link MultipartBody}). A Content-Type header set on the request wins over the body's type.
     */
    public HttpRequest body(RequestBody body) {
        this.body = Objects.requireNonNull(body, "body");
        return this;
    }

    /** The bytes (copied), with their content type. */
    public HttpRequest body(byte[] bytes, String contentType) {
        return body(RequestBody.of(bytes, contentType));
    }

    /** A text body, UTF-8, as {@code text/plain} unless a Content-Type was set. */
    public HttpRequest text(String text) {
        return body(RequestBody.text(text));
    }

    /** A form body, {@code application/x-www-form-urlencoded}, its fields in the map's order, UTF-8. */
    public HttpRequest form(Map<String, String> fields) {
        return body(RequestBody.form(fields));
    }

    /** A JSON body written with the session's Jackson {@code ObjectMapper}. */
    public HttpRequest json(Object value) {
        try {
            return body(session.json().writeValueAsBytes(value), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Send {@code Expect: 100-continue}: the head goes first and the body only once the server answers 100
     * (Continue), or after a second without an answer (as curl waits; the read timeout if shorter). A final status
     * that comes instead, as a 401 or a 413, is the response, and the body is never sent: worth it for a large body
     * to a server that may refuse it. Opt-in, as in aiohttp: many servers never send 100, and each request to them
     * would wait the second.
     */
    public HttpRequest expectContinue() {
        headers.set("Expect", "100-continue");
        return this;
    }

    /** How many redirects to follow for this request (0: none, the 3xx response is returned); the session's if unset. */
    public HttpRequest maxRedirects(int redirects) {
        if (redirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be 0 or more: " + redirects);
        }
        this.maxRedirects = redirects;
        return this;
    }

    /** When to send this request again, instead of the session's policy ({@link RetryPolicy#NONE}: never). */
    public HttpRequest retry(RetryPolicy policy) {
        this.retry = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Send this request, and the redirects it follows, through this HTTP proxy ({@link HttpProxy#parse}) instead of
     * the session's.
     *
     * @throws IllegalArgumentException if the URL is no http:// proxy
     */
    public HttpRequest proxy(String url) {
        this.proxy = HttpProxy.parse(url);
        return this;
    }

    /**
     * Send it, following redirects; returns once the final response's head arrived. In a task of the session's loop.
     *
     * @throws TooManyRedirectsException past the redirect limit
     * @throws HttpTimeoutException      when a time limit runs out, naming it
     * @throws HttpProtocolException     for a malformed response
     * @throws IOException               for every other network failure (refused, reset, TLS, DNS)
     */
    public HttpResponse send() throws IOException {
        return session.send(this);
    }

    HttpHeaders headers() {
        return headers.build();
    }

    RequestBody body() {
        return body;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    RetryPolicy retry() {
        return retry;
    }

    HttpProxy proxy() {
        return proxy;
    }
}
