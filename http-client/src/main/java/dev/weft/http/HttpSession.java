package dev.weft.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.loop.EventLoop;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
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

    private final EventLoop loop;
    private final HttpSessionBuilder config;
    private final ConnectionPool<HttpConnection> pool;

    HttpSession(EventLoop loop, HttpSessionBuilder config) {
        this.loop = loop;
        this.config = config;
        this.pool = new ConnectionPool<>(loop, config.poolLimits(), this::connect);
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

    /** Send the request and return once the response's head has arrived. In a task of the session's loop. */
    HttpResponse send(HttpRequest request, ByteBuffer body) throws IOException {
        Origin origin = Origin.of(request.url());
        Deadline deadline = new Deadline(loop, config.timeouts(), request.method() + " " + request.url());
        ByteBuffer head = RequestHead.encode(request.method(), target(request.url()), headersFor(request, body));
        boolean retried = false;
        while (true) {
            ConnectionPool.Lease<HttpConnection> lease = pool.acquire(origin);
            HttpConnection connection = lease.connection();
            Exchange exchange = new Exchange(lease, deadline, config.responseLimits());
            try {
                connection.expectResponseTo(request.method());
                connection.send(deadline, body == null ? new ByteBuffer[] {head.duplicate()}
                        : new ByteBuffer[] {head.duplicate(), body.duplicate()});
                ResponseEvent.Head responseHead = finalHead(exchange);
                return new HttpResponse(request.method(), request.url(), responseHead, exchange, json());
            } catch (IOException e) {
                lease.release(false);
                // A pooled connection the server closed while idle fails before any byte of an answer: once, again.
                if (lease.reused() && !connection.receivedAny() && !retried && IDEMPOTENT.contains(request.method())) {
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

    private HttpHeaders headersFor(HttpRequest request, ByteBuffer body) {
        URI url = request.url();
        HttpHeaders own = request.headers();
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", hostHeader(url));
        for (var header : config.defaultHeaders()) {
            if (!own.contains(header.getKey())) { // a request's own header replaces the session's default
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.addAll(own);
        if (body != null) {
            headers.set("Content-Length", Integer.toString(body.remaining()));
        } else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            headers.set("Content-Length", "0");
        }
        return headers.build();
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
