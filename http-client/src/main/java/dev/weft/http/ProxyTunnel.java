package dev.weft.http;

import dev.weft.net.StreamConnection;
import dev.weft.net.TlsOptions;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@code CONNECT} tunnel (RFC 9110 §9.3.6) through an HTTP proxy to an https origin, with TLS to the origin inside
 * it: the certificate is verified against the origin's name, and the proxy sees only the host and port. The
 * request carries the proxy's credentials and nothing of the caller's own headers, so an origin's
 * {@code Authorization} or cookies never reach the proxy.
 */
final class ProxyTunnel {
    private static final int READ_SIZE = 16 * 1024;

    private ProxyTunnel() {
    }

    /**
     * Connect to the proxy, open a tunnel to the route's origin and start TLS with it, all within the connect timeout.
     *
     * @throws ProxyRefusedException if the proxy answers anything but 2xx; nothing is left open
     * @throws IOException           if the proxy cannot be reached, answers garbage or the TLS handshake fails
     */
    static StreamConnection open(Route route, Deadline deadline, TlsOptions tls, ResponseLimits limits,
                                 Attempt attempt) throws IOException {
        HttpProxy proxy = route.proxy();
        Origin origin = route.origin();
        return deadline.within(HttpTimeoutException.Kind.CONNECT, deadline.timeouts().connect(), () -> {
            StreamConnection stream = Dialer.connect(proxy.origin(), attempt);
            try {
                stream.writer().write(connectRequest(proxy, origin));
                stream.writer().drain();
                ResponseEvent.Head head = readHead(stream, route, limits);
                if (head.status() / 100 != 2) {
                    throw refused(proxy, origin, head);
                }
                Dialer.startTls(stream, origin, tls, attempt);
                return stream;
            } catch (Throwable t) {
                stream.writer().abort();
                throw t;
            }
        });
    }

    private static ByteBuffer connectRequest(HttpProxy proxy, Origin origin) {
        String authority = Route.authority(origin);
        HttpHeaders.Builder headers = HttpHeaders.builder().add("Host", authority);
        if (proxy.authorization() != null) {
            headers.add("Proxy-Authorization", proxy.authorization());
        }
        return RequestHead.encode("CONNECT", authority, headers.build());
    }

    /** The answer's head; a 2xx must be all the proxy sent, since what follows it is the origin's TLS. */
    private static ResponseEvent.Head readHead(StreamConnection stream, Route route, ResponseLimits limits)
            throws IOException {
        ResponseParser parser = new ResponseParser(limits);
        parser.begin("CONNECT");
        ByteBuffer input = ByteBuffer.allocate(0);
        while (true) {
            ResponseEvent event = parser.next(input);
            if (event instanceof ResponseEvent.Head head && head.status() >= 200) {
                if (head.status() / 100 == 2 && (input.hasRemaining() || stream.reader().buffered() > 0)) {
                    throw new HttpProtocolException("proxy " + route.proxy() + " sent bytes after its 2xx to "
                            + "CONNECT " + Route.authority(route.origin()) + ", before the origin's TLS could start");
                }
                return head;
            }
            if (event != null) {
                continue; // an interim 1xx head: the final one follows
            }
            byte[] bytes = stream.reader().read(READ_SIZE);
            if (bytes.length == 0) {
                throw new HttpProtocolException("proxy " + route.proxy() + " closed the connection before it "
                        + "answered CONNECT " + Route.authority(route.origin()));
            }
            input = ByteBuffer.wrap(bytes);
        }
    }

    private static ProxyRefusedException refused(HttpProxy proxy, Origin origin, ResponseEvent.Head head) {
        String what = "proxy " + proxy + " refused to open a tunnel to " + origin + ": " + head.status()
                + (head.reason() == null || head.reason().isEmpty() ? "" : " " + head.reason());
        String remedy = switch (head.status()) {
            case 407, 401 -> { // 401: what some proxies (tinyproxy) answer for wrong credentials
                String challenge = head.headers().first(head.status() == 407 ? "Proxy-Authenticate"
                        : "WWW-Authenticate");
                String wants = challenge == null ? "" : " (it asks for " + challenge + ")";
                yield proxy.user() == null
                        ? "; it wants credentials" + wants + " and the proxy URL has none: write them into it, "
                                + "http://user:password@host:port"
                        : "; it did not accept the password of user '" + proxy.user() + "'" + wants
                                + ": check the user and password in the proxy URL";
            }
            case 403 -> "; it forbids tunnels to that host or port (its ConnectPort or ACL rules?)";
            case 502, 503, 504 -> "; it could not reach the origin";
            default -> "";
        };
        return new ProxyRefusedException(proxy, origin, head.status(), what + remedy);
    }
}
