package dev.weft.http;

import java.io.IOException;
import java.util.Objects;

/**
 * A proxy answered a {@code CONNECT} with another status than 2xx: no tunnel to the origin was opened. The status
 * (407: credentials missing or wrong; 403: the proxy forbids that host or port; 502, 503, 504: it could not reach the
 * origin) is in {@link #status()} and in the message, which says what to do about it. The connection to the proxy is
 * closed.
 */
public class ProxyRefusedException extends IOException {
    private final int status;
    private final transient HttpProxy proxy;
    private final transient Origin target;

    /** The proxy's refusal of a tunnel to {@code target}, with the status it answered and a message saying why. */
    public ProxyRefusedException(HttpProxy proxy, Origin target, int status, String message) {
        super(message);
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.target = Objects.requireNonNull(target, "target");
        this.status = status;
    }

    /** The status the proxy answered, e.g. 407. */
    public int status() {
        return status;
    }

    /** The proxy that refused. */
    public HttpProxy proxy() {
        return proxy;
    }

    /** The origin the tunnel was asked for. */
    public Origin target() {
        return target;
    }
}
