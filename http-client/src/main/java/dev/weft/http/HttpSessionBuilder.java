package dev.weft.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.loop.EventLoop;
import dev.weft.net.TlsOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The settings of a new {@link HttpSession}; every one has aiohttp's default. */
public final class HttpSessionBuilder {
    private PoolLimits poolLimits = PoolLimits.DEFAULTS;
    private HttpTimeouts timeouts = HttpTimeouts.DEFAULTS;
    private ResponseLimits responseLimits = ResponseLimits.DEFAULTS;
    private HttpHeaders defaultHeaders = HttpHeaders.of("User-Agent", "weft-http/0.1", "Accept", "*/*",
            "Accept-Encoding", "gzip, deflate");
    private TlsOptions tls = TlsOptions.client();
    private ObjectMapper objectMapper = new ObjectMapper();
    private int maxRedirects = 10;
    private boolean cookies = true;
    private final List<Interceptor> interceptors = new ArrayList<>();
    private RetryPolicy retry = RetryPolicy.NONE;
    private HttpTracer tracer = HttpTracer.NONE;
    private HttpProxy proxy;
    private boolean poolMBean = Boolean.getBoolean("weft.metrics");
    private ProxyRules environment = ProxyRules.NONE; // the environment's, once trusted

    HttpSessionBuilder() {
    }

    public HttpSessionBuilder poolLimits(PoolLimits limits) {
        this.poolLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    public HttpSessionBuilder timeouts(HttpTimeouts timeouts) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        return this;
    }

    public HttpSessionBuilder responseLimits(ResponseLimits limits) {
        this.responseLimits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /** Headers every request carries unless it sets them itself. */
    public HttpSessionBuilder defaultHeaders(HttpHeaders headers) {
        this.defaultHeaders = Objects.requireNonNull(headers, "headers");
        return this;
    }

    /** How https connections verify the server (the JDK's trust store and hostname checks by default). */
    public HttpSessionBuilder tls(TlsOptions tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /** How many redirects a request follows (10, as aiohttp; 0: none, the 3xx response is returned). */
    public HttpSessionBuilder maxRedirects(int redirects) {
        if (redirects < 0) {
            throw new IllegalArgumentException("maxRedirects must be 0 or more: " + redirects);
        }
        this.maxRedirects = redirects;
        return this;
    }

    /** Whether the session keeps the cookies servers set and sends them back (on by default, as aiohttp). */
    public HttpSessionBuilder cookies(boolean keep) {
        this.cookies = keep;
        return this;
    }

    /**
     * Send every request through this HTTP proxy, {@code http://[user:password@]host:port} (see
     * {@link HttpProxy#parse}); it wins over the environment's. A request may name its own
     * ({@link HttpRequest#proxy(String)}).
     *
     * @throws IllegalArgumentException if the URL is no http:// proxy
     */
    public HttpSessionBuilder proxy(String url) {
        return proxy(HttpProxy.parse(url));
    }

    /** Send every request through this HTTP proxy; it wins over the environment's. */
    public HttpSessionBuilder proxy(HttpProxy proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        return this;
    }

    /**
     * Take proxies from the process's environment, as aiohttp's {@code trust_env}: {@code http_proxy},
     * {@code https_proxy}, {@code all_proxy} and {@code no_proxy}, read as curl reads them (lower case wins over upper
     * case). Off by default: a session never goes through a proxy it was not told of. A proxy given to
     * {@link #proxy(String)} wins.
     *
     * @throws IllegalArgumentException naming the variable, if one holds a malformed proxy URL or NO_PROXY list
     */
    public HttpSessionBuilder trustEnv() {
        return trustEnv(System.getenv());
    }

    /**
     * {@link #trustEnv()} with these variables instead of the process's (a configuration's, or a test's).
     *
     * @throws IllegalArgumentException naming the variable, if one holds a malformed proxy URL or NO_PROXY list
     */
    public HttpSessionBuilder trustEnv(Map<String, String> environment) {
        this.environment = ProxyRules.fromEnvironment(environment);
        return this;
    }

    public HttpSessionBuilder objectMapper(ObjectMapper mapper) {
        this.objectMapper = Objects.requireNonNull(mapper, "mapper");
        return this;
    }

    /**
     * Add an interceptor after those added before: the first added sees the caller's request first and the answer
     * last. Each runs once per {@code send}, around redirects and retries (see {@link Interceptor}).
     */
    public HttpSessionBuilder interceptor(Interceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** When requests are sent again ({@link RetryPolicy#NONE}, never, by default); a request may set its own. */
    public HttpSessionBuilder retry(RetryPolicy policy) {
        this.retry = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Who is told what each request goes through: DNS, the pool, connects, TLS, sending, the answer. */
    public HttpSessionBuilder tracer(HttpTracer tracer) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        return this;
    }

    /**
     * Show the session's pool in JMX as {@code dev.weft:type=HttpPool,session=N} ({@link HttpPoolMXBean}) until the
     * session closes (or, for a session never closed, its loop). On by default with {@code -Dweft.metrics=true}, off
     * otherwise.
     */
    public HttpSessionBuilder poolMBean(boolean register) {
        this.poolMBean = register;
        return this;
    }

    boolean poolMBean() {
        return poolMBean;
    }

    /** A session on the current task's loop. @throws dev.weft.loop.InvalidStateException outside a loop */
    public HttpSession build() {
        return new HttpSession(EventLoop.current(), this);
    }

    PoolLimits poolLimits() {
        return poolLimits;
    }

    HttpTimeouts timeouts() {
        return timeouts;
    }

    ResponseLimits responseLimits() {
        return responseLimits;
    }

    HttpHeaders defaultHeaders() {
        return defaultHeaders;
    }

    TlsOptions tls() {
        return tls;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    boolean cookies() {
        return cookies;
    }

    List<Interceptor> interceptors() {
        return List.copyOf(interceptors);
    }

    RetryPolicy retry() {
        return retry;
    }

    HttpTracer tracer() {
        return tracer;
    }

    /** The proxy rules: the builder's proxy, else the trusted environment's, else none. */
    ProxyRules proxyRules() {
        return proxy != null ? ProxyRules.always(proxy) : environment;
    }

    ObjectMapper objectMapper() {
        return objectMapper;
    }
}
