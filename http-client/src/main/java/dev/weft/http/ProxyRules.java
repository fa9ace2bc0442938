package dev.weft.http;

import java.util.Map;
import java.util.Objects;

/**
 * Which proxy, if any, a session sends a request through: none (the default), the one the builder was given for
 * every request, or — only when the session was told to trust the environment — those the environment names.
 *
 * <p>The environment is read as curl reads it: {@code http_proxy} for http URLs, {@code https_proxy} for https
 * URLs, {@code all_proxy} for either when its own is unset, and {@code no_proxy} for the hosts that go directly
 * ({@link NoProxy}). Each is also read in upper case, the lower-case one winning when both are set; an empty value is
 * unset. Upper-case {@code HTTP_PROXY} is ignored in a CGI program ({@code REQUEST_METHOD} is set), where a request's
 * {@code Proxy:} header arrives as it ("httpoxy").
 */
final class ProxyRules {
    static final ProxyRules NONE = new ProxyRules(null, null, NoProxy.NONE);

    private final HttpProxy forHttp;
    private final HttpProxy forHttps;
    private final NoProxy noProxy;

    private ProxyRules(HttpProxy forHttp, HttpProxy forHttps, NoProxy noProxy) {
        this.forHttp = forHttp;
        this.forHttps = forHttps;
        this.noProxy = noProxy;
    }

    /** Every request through this proxy. */
    static ProxyRules always(HttpProxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return new ProxyRules(proxy, proxy, NoProxy.NONE);
    }

    /**
     * The rules an environment (as {@link System#getenv()}) states.
     *
     * @throws IllegalArgumentException naming the variable, if a proxy URL in it is malformed or not http://, or
     *                                  the NO_PROXY list has a port or prefix that is no number
     */
    static ProxyRules fromEnvironment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        boolean cgi = environment.containsKey("REQUEST_METHOD");
        HttpProxy all = proxy(environment, "all_proxy", true);
        HttpProxy http = proxy(environment, "http_proxy", !cgi);
        HttpProxy https = proxy(environment, "https_proxy", true);
        return new ProxyRules(http != null ? http : all, https != null ? https : all,
                NoProxy.parse(variable(environment, "no_proxy", true)));
    }

    /** The proxy for requests to the origin, or null to go directly. */
    HttpProxy proxyFor(Origin origin) {
        HttpProxy proxy = origin.scheme().equals("https") ? forHttps : forHttp;
        return proxy == null || noProxy.bypasses(origin) ? null : proxy;
    }

    private static HttpProxy proxy(Map<String, String> environment, String name, boolean upperCaseToo) {
        String url = variable(environment, name, upperCaseToo);
        if (url == null) {
            return null;
        }
        try {
            return HttpProxy.parse(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the environment's " + name + " (or its upper-case form) holds no "
                    + "usable proxy: " + e.getMessage() + "; fix or unset it, or build the session without trustEnv",
                    e);
        }
    }

    /** The lower-case variable, else (if allowed) the upper-case one; null if unset or empty. */
    private static String variable(Map<String, String> environment, String name, boolean upperCaseToo) {
        String value = environment.get(name);
        if ((value == null || value.isBlank()) && upperCaseToo) {
            value = environment.get(name.toUpperCase(java.util.Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value;
    }
}
