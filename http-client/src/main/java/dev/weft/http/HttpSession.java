package dev.weft.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.loop.EventLoop;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A client session, as aiohttp's {@code ClientSession}: a connection pool, default headers and limits shared by the
 * requests made through it. A call that waits suspends the calling task:
 *
 * <pre>{@code
 * try (HttpSession session = HttpSession.builder().build();
 *      HttpResponse response = session.get("http://127.0.0.1:8001/flags/cn.png")) {
 *     byte[] png = response.raiseForStatus().bytes();
 * }
 * }</pre>
 *
 * <p>A session belongs to the loop of the task that builds it; every request is made from a task of that loop. It runs
 * on every backend: it speaks to the loop through {@code loop-api} only. Close it to close its connections.
 */
public final class HttpSession implements AutoCloseable {
    /** Methods a request may be sent again for after a stale pooled connection failed it (RFC 9110 §9.2.2). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    /** The longest a body waits for a 100 (Continue) before it is sent anyway, as curl. */
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);

    private final EventLoop loop;
    private final HttpSessionBuilder config;
    private final ConnectionPool<HttpConnection> pool;
    private final CookieJar cookies;

    HttpSession(EventLoop loop, HttpSessionBuilder config) {
        this.loop = loop;
        this.config = config;
        this.pool = new ConnectionPool<>(loop, config.poolLimits(), this::connect);
        this.cookies = config.cookies() ? CookieJar.create() : CookieJar.NONE;
    }

    /** A builder of sessions with aiohttp's defaults. */
    public static HttpSessionBuilder builder() {
        return new HttpSessionBuilder();
    }

    public HttpResponse get(String url) throws IOException {
        return request("GET", url).send();
    }

    public HttpResponse head(String url) throws IOException {
        return request("HEAD", url).send();
    }

    public HttpRequest post(String url) {
        return request("POST", url);
    }

    public HttpRequest put(String url) {
        return request("PUT", url);
    }

    public HttpRequest delete(String url) {
        return request("DELETE", url);
    }

    /** A request to build, then {@link HttpRequest#send()}. */
    public HttpRequest request(String method, String url) {
        return new HttpRequest(this, method, URI.create(Objects.requireNonNull(url, "url")));
    }

    /** Idle, busy and waiting connections per origin, now. */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /** Close the pool's connections; requests under way end with a ClosedResourceException. */
    @Override
    public void close() {
        pool.close();
    }

    ObjectMapper json() {
        return config.objectMapper();
    }

    /**
     * Send the request, following redirects, and return once the final response's head has arrived. In a task of the
     * session's loop.
     */
    HttpResponse send(HttpRequest request) throws IOException {
        Deadline deadline = new Deadline(loop, config.timeouts(), request.method() + " " + request.url());
        int maxRedirects = request.maxRedirects() >= 0 ? request.maxRedirects() : config.maxRedirects();
        Hop hop = new Hop(request.method(), request.url(), request.headers(), request.body());
        List<HttpResponse> history = new ArrayList<>();
        while (true) {
            HttpResponse response = exchange(hop, deadline);
            Hop next = maxRedirects == 0 ? null : Redirects.next(hop, response);
            if (next == null) {
                response.history(history);
                return response;
            }
            response.discard();
            history.add(response);
            if (history.size() > maxRedirects) {
                throw new TooManyRedirectsException(request.method() + " " + request.url() + " was redirected more "
                        + "than " + maxRedirects + " times (the last to " + next.url() + "); allow more with "
                        + "maxRedirects, or look for a loop", history);
            }
            hop = next;
        }
    }

    /** One request and its response's head, on a pooled connection. */
    private HttpResponse exchange(Hop hop, Deadline deadline) throws IOException {
        Origin origin = Origin.of(hop.url());
        HttpHeaders headers = headersFor(hop);
        ByteBuffer head = RequestHead.encode(hop.method(), target(hop.url()), headers);
        Duration continueWait = continueWait(headers);
        boolean retried = false;
        while (true) {
            // The pool's wait and connect have limits of their own; the request's total deadline bounds them too.
            ConnectionPool.Lease<HttpConnection> lease = deadline.within(HttpTimeoutException.Kind.TOTAL, null,
                    () -> pool.acquire(origin));
            HttpConnection connection = lease.connection();
            Exchange exchange = new Exchange(lease, deadline, config.responseLimits());
            try {
                connection.expectResponseTo(hop.method());
                ResponseEvent.Head early = connection.send(deadline, head.duplicate(), hop.body(), continueWait);
                ResponseEvent.Head responseHead = early != null ? early : finalHead(exchange);
                cookies.received(hop.url(), responseHead.headers());
                return new HttpResponse(hop.method(), hop.url(), responseHead, exchange, json());
            } catch (IOException e) {
                lease.release(false);
                // A pooled connection the server closed while idle fails before any byte of an answer: once, again.
                // A body that cannot be written again (a producer's, once started) is not: its failure is thrown.
                if (lease.reused() && !connection.receivedAny() && !retried && IDEMPOTENT.contains(hop.method())
                        && (hop.body() == null || hop.body().repeatable())) {
                    retried = true;
                    continue;
                }
                throw e;
            } catch (Throwable t) {
                lease.release(false);
                throw t;
            }
        }
    }

    /** The first head that is not informational (1xx other than 101). */
    private static ResponseEvent.Head finalHead(Exchange exchange) throws IOException {
        while (true) {
            ResponseEvent event = exchange.next();
            if (event instanceof ResponseEvent.Head head) {
                if (head.status() >= 200 || head.status() == 101) {
                    return head;
                }
            } else {
                throw new HttpProtocolException("a response from " + exchange.connection().origin()
                        + " sent " + event.getClass().getSimpleName() + " before its status line");
            }
        }
    }

    private HttpHeaders headersFor(Hop hop) throws IOException {
        HttpHeaders own = hop.headers();
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", hostHeader(hop.url()));
        for (var header : config.defaultHeaders()) {
            if (!own.contains(header.getKey())) { // a request's own header replaces the session's default
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.addAll(own);
        if (!own.contains("Cookie")) {
            String jar = cookies.headerFor(hop.url());
            if (jar != null) {
                headers.add("Cookie", jar);
            }
        }
        RequestBody body = hop.body();
        headers.remove("Transfer-Encoding"); // the body's framing is the client's to choose: never two of them
        if (body != null && body.contentType() != null && !own.contains("Content-Type")) {
            headers.add("Content-Type", body.contentType());
        }
        if (body != null && body.length() >= 0) {
            headers.set("Content-Length", Long.toString(body.length()));
        } else if (body != null) {
            headers.remove("Content-Length").add("Transfer-Encoding", "chunked");
        } else if (!hop.method().equals("GET") && !hop.method().equals("HEAD")) {
            headers.set("Content-Length", "0");
        }
        if (body == null || body.length() == 0) {
            headers.remove("Expect"); // nothing to hold back
        }
        return headers.build();
    }

    /**
     * How long the body waits for a 100 (Continue) after a head that said {@code Expect: 100-continue}, or null if it
     * did not: a second, as curl waits, or the read timeout if that is shorter.
     */
    private Duration continueWait(HttpHeaders headers) {
        if (!headers.containsToken("Expect", "100-continue")) {
            return null;
        }
        Duration read = config.timeouts().read();
        return read != null && read.compareTo(CONTINUE_WAIT) < 0 ? read : CONTINUE_WAIT;
    }

    private static String hostHeader(URI url) {
        Origin origin = Origin.of(url);
        boolean defaultPort = origin.port() == (origin.scheme().equals("https") ? 443 : 80);
        String host = url.getHost().contains(":") ? "[" + url.getHost() + "]" : url.getHost();
        return defaultPort ? host : host + ":" + origin.port();
    }

    private static String target(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    private HttpConnection connect(Origin origin) throws IOException {
        Deadline deadline = new Deadline(loop, config.timeouts(), "connect to " + origin);
        return HttpConnection.open(origin, deadline, config.tls(), config.responseLimits());
    }
}
