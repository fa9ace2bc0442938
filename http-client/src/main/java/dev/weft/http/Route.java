package dev.weft.http;

import java.util.Objects;

/**
 * How a connection reaches an origin: directly, or through a proxy. The pool keeps connections per route, so a
 * connection is only ever reused for the origin and proxy it was made for. A tunnel (https through a proxy) is bound
 * to its origin by the TLS session inside it; a plain http connection to a proxy could carry requests to any origin,
 * but is kept per origin too, so that {@link PoolLimits#perHost()} keeps meaning one origin (as aiohttp, whose
 * connection key holds host and proxy).
 *
 * @param origin where the requests go
 * @param proxy  the proxy they go through, or null for a direct connection
 */
record Route(Origin origin, HttpProxy proxy) {

    Route {
        Objects.requireNonNull(origin, "origin");
    }

    static Route direct(Origin origin) {
        return new Route(origin, null);
    }

    /** Whether requests are sent to the proxy in absolute form (plain http through a proxy). */
    boolean forwarded() {
        return proxy != null && origin.scheme().equals("http");
    }

    /** Whether the connection is a CONNECT tunnel through the proxy (https through a proxy). */
    boolean tunnelled() {
        return proxy != null && origin.scheme().equals("https");
    }

    /** {@code host:port}, an IPv6 literal in brackets: the authority form of a CONNECT target (RFC 9112 §3.2.3). */
    static String authority(Origin origin) {
        return (origin.host().indexOf(':') >= 0 ? "[" + origin.host() + "]" : origin.host()) + ":" + origin.port();
    }

    /** {@code http://host:80}, or {@code https://host:443 via http://proxy:3128} (never a password). */
    @Override
    public String toString() {
        return proxy == null ? origin.toString() : origin + " via " + proxy;
    }
}
