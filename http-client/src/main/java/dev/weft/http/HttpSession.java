package dev.weft.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LeakWatch;

import javax.management.ObjectName;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
    /** The attempt whose connect the pool makes: the connect runs in the task that acquires, inside its scope. */
    private static final ScopedValue<Attempt> CONNECTING = ScopedValue.newInstance();
    /** The longest a body waits for a 100 (Continue) before it is sent anyway, as curl. */
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);

    private final EventLoop loop;
    private final HttpSessionBuilder config;
    private final ConnectionPool<HttpConnection> pool;
    private final CookieJar cookies;
    private final ProxyRules proxies;
    private final ObjectName poolMBean; // null unless registered
    private final LeakWatch leak; // in debug mode, warns if never closed

    HttpSession(EventLoop loop, HttpSessionBuilder config) {
        this.loop = loop;
        this.config = config;
        this.proxies = config.proxyRules();
        this.pool = new ConnectionPool<>(loop, config.poolLimits(), this::connect);
        this.cookies = config.cookies() ? CookieJar.create() : CookieJar.NONE;
        this.poolMBean = config.poolMBean() ? HttpPoolMBean.register(loop, this) : null;
        this.leak = LeakWatch.open(loop, this, "HTTP session");
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

    /** Open a WebSocket with the default options; see {@link #webSocket(String, WebSocketOptions)}. */
    public WebSocket webSocket(String url) throws IOException {
        return webSocket(url, WebSocketOptions.DEFAULTS);
    }

    /**
     * Open a WebSocket (RFC 6455) to a ws:// or wss:// URL: the upgrade request goes as any request does (this
     * session's pool, connect path, TLS, default headers, cookies and timeouts); once the server switched protocols
     * the connection leaves the pool and is the socket's, closed with it (or with this session).
     *
     * @throws WebSocketHandshakeException if the server did not answer 101 or broke the handshake's rules
     * @throws IllegalArgumentException    if the URL is not ws://, wss://, http:// or https://, or has a fragment
     */
    public WebSocket webSocket(String url, WebSocketOptions options) throws IOException {
        var handshake = WebSocketHandshake.to(URI.create(Objects.requireNonNull(url, "url")), options);
        Deadline deadline = new Deadline(loop, config.timeouts(), "WebSocket handshake with " + url);
        OutgoingRequest request = handshake.request();
        return handshake.finish(exchange(request, route(request.url(), null), deadline,
                Attempt.first(loop, config.tracer(), request)), config.timeouts().write());
    }

    /** Idle, busy and waiting connections per origin, now. */
    public PoolStats poolStats() {
        return pool.stats();
    }

    /** The name of this session's pool MBean, or null if it has none ({@link HttpSessionBuilder#poolMBean}). */
    public ObjectName poolMBeanName() {
        return poolMBean;
    }

    /** Close the pool's connections; requests under way end with a ClosedResourceException. */
    @Override
    public void close() {
        leak.closed();
        pool.close();
        if (poolMBean != null) {
            HttpPoolMBean.unregister(loop, poolMBean);
        }
    }

    ObjectMapper json() {
        return config.objectMapper();
    }

    /**
     * Send the request through the interceptors, then following redirects and retrying each hop as the policy says;
     * return once the final response's head has arrived. In a task of the session's loop. Interceptors run once per
     * send, around redirects and retries: they see the caller's request and the final answer, which is what a
     * header, a signature, a log line, a cache or a fake needs; each hop and attempt is the tracer's to see.
     */
    HttpResponse send(HttpRequest request) throws IOException {
        Deadline deadline = new Deadline(loop, config.timeouts(), request.method() + " " + request.url());
        int maxRedirects = request.maxRedirects() >= 0 ? request.maxRedirects() : config.maxRedirects();
        RetryPolicy retry = request.retry() != null ? request.retry() : config.retry();
        OutgoingRequest first = new OutgoingRequest(request.method(), request.url(), request.headers(), request.body());
        HttpProxy proxy = request.proxy();
        return new InterceptorChain(config.interceptors(), 0, first,
                outgoing -> followRedirects(outgoing, maxRedirects, retry, proxy, deadline)).proceed(first);
    }

    /** Send the request, retrying each hop as the policy says, and follow its redirects. */
    private HttpResponse followRedirects(OutgoingRequest request, int maxRedirects, RetryPolicy retry,
                                         HttpProxy proxy, Deadline deadline) throws IOException {
        OutgoingRequest hop = request;
        List<HttpResponse> history = new ArrayList<>();
        while (true) {
            Route route = route(hop.url(), proxy);
            HttpResponse response = Retries.send(hop, Attempt.first(loop, config.tracer(), hop), retry, deadline,
                    (h, attempt) -> exchange(h, route, deadline, attempt));
            OutgoingRequest next;
            try {
                next = maxRedirects == 0 ? null : Redirects.next(hop, response);
            } catch (HttpProtocolException e) {
                response.close(); // a Location that cannot be followed: its connection is not left busy
                throw e;
            }
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

    /** One attempt at a hop: the request and its response's head, on a pooled connection of its route. */
    private HttpResponse exchange(OutgoingRequest hop, Route route, Deadline deadline, Attempt attempt)
            throws IOException {
        HttpHeaders headers = proxyAuthorization(route, headersFor(hop));
        ByteBuffer head = RequestHead.encode(hop.method(), target(hop.url(), route), headers);
        RequestBody body = hop.body();
        Duration continueWait = continueWait(headers);
        boolean retried = false;
        while (true) {
            ConnectionPool.Lease<HttpConnection> lease = acquire(route, deadline, attempt);
            HttpConnection connection = lease.connection();
            Exchange exchange = new Exchange(lease, deadline, config.responseLimits(), attempt);
            try {
                connection.expectResponseTo(hop.method());
                ResponseEvent.Head early = connection.send(deadline, head.duplicate(), body, continueWait);
                attempt.requestSent(head.remaining(), body == null ? -1 : body.length());
                ResponseEvent.Head responseHead = early != null ? early : finalHead(exchange);
                cookies.received(hop.url(), responseHead.headers());
                return new HttpResponse(hop.method(), hop.url(), responseHead, exchange, json());
            } catch (IOException e) {
                lease.release(false);
                attempt.failed(e);
                // A pooled connection the server closed while idle fails before any byte of an answer: once, again.
                // A body that cannot be written again (a producer's, once started) is not: its failure is thrown.
                if (lease.reused() && !connection.receivedAny() && !retried
                        && RetryPolicy.IDEMPOTENT.contains(hop.method()) && hop.replayable()) {
                    retried = true;
                    attempt.restart();
                    continue;
                }
                throw e;
            } catch (Throwable t) {
                lease.release(false);
                attempt.failed(t);
                throw t;
            }
        }
    }

    /** A connection for the attempt: the pool's wait and connect have limits of their own, and the total one too. */
    private ConnectionPool.Lease<HttpConnection> acquire(Route route, Deadline deadline, Attempt attempt)
            throws IOException {
        ConnectionPool.Lease<HttpConnection> lease;
        try {
            lease = pool.idleLease(route); // the usual case, and one with no wait: no timer to set
            if (lease == null) {
                lease = deadline.within(HttpTimeoutException.Kind.TOTAL, null, () -> ScopedValue
                        .where(CONNECTING, attempt).call(() -> pool.acquire(route, attempt::poolQueued)));
            }
        } catch (Throwable t) {
            attempt.failed(t);
            throw t;
        }
        attempt.connectionAcquired(lease.reused());
        return lease;
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

    private HttpHeaders headersFor(OutgoingRequest hop) throws IOException {
        HttpHeaders own = hop.headers();
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", hostHeader(hop.url()));
        HttpHeaders defaults = config.defaultHeaders();
        for (int i = 0; i < defaults.size(); i++) {
            if (!own.contains(defaults.nameAt(i))) { // a request's own header replaces the session's default
                headers.addChecked(defaults.nameAt(i), defaults.valueAt(i));
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

    /**
     * The request target: origin form ({@code /path?query}), or absolute form ({@code http://host/path?query}, with
     * no user info or fragment) for a proxy that forwards it (RFC 9112 §3.2.2).
     */
    private static String target(URI url, Route route) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        return route.forwarded() ? "http://" + hostHeader(url) + target : target;
    }

    /**
     * How a request to the URL goes: through the request's own proxy if it names one, else as the session's rules
     * say. Asked again for every redirect: another origin may be one that {@code NO_PROXY} sends directly.
     */
    private Route route(URI url, HttpProxy requestProxy) {
        Origin origin = Origin.of(url);
        return new Route(origin, requestProxy != null ? requestProxy : proxies.proxyFor(origin));
    }

    /**
     * A request a proxy forwards carries the proxy's credentials, unless it set its own. A tunnelled one carries none,
     * not even its own: through the tunnel they would reach the origin (the proxy's went with the CONNECT).
     */
    private static HttpHeaders proxyAuthorization(Route route, HttpHeaders headers) {
        if (route.tunnelled() && headers.contains("Proxy-Authorization")) {
            return headers.toBuilder().remove("Proxy-Authorization").build();
        }
        String credentials = route.forwarded() ? route.proxy().authorization() : null;
        if (credentials == null || headers.contains("Proxy-Authorization")) {
            return headers;
        }
        return headers.toBuilder().add("Proxy-Authorization", credentials).build();
    }

    /** A connection for the route: to the origin, to the proxy that forwards requests, or through its tunnel. */
    private HttpConnection connect(Route route) throws IOException {
        Deadline deadline = new Deadline(loop, config.timeouts(), "connect to " + route);
        if (route.tunnelled()) {
            return new HttpConnection(route.origin(),
                    ProxyTunnel.open(route, deadline, config.tls(), config.responseLimits(), CONNECTING.get()),
                    config.responseLimits());
        }
        Origin to = route.forwarded() ? route.proxy().origin() : route.origin();
        return HttpConnection.open(to, deadline, config.tls(), config.responseLimits(), CONNECTING.get());
    }
}
