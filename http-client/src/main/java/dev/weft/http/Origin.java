package dev.weft.http;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a request goes, as RFC 6454 defines an origin: scheme, host and port. Connections are pooled per origin, so
 * {@code http://example.org} and {@code https://example.org} never share one, and limits per host count per origin.
 *
 * <p>The host is kept lower-case and without the brackets of an IPv6 literal ({@code ::1}, the name to connect to);
 * {@link #toString()} puts them back: {@code http://[::1]:8080}.
 *
 * @param scheme {@code "http"} or {@code "https"}
 * @param host   a name or an address literal, lower-case
 * @param port   1 to 65535
 */
public record Origin(String scheme, String host, int port) {

    /**
     * @throws IllegalArgumentException if the scheme is not http or https, the host is blank or the port out of range
     */
    public Origin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("an HTTP origin's scheme is http or https, not '" + scheme + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("an HTTP origin needs a host; got a blank one for " + scheme);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + scheme + "://" + host
                    + " is out of range: a TCP port is 1 to 65535");
        }
    }

    /**
     * The origin of an absolute http or https URI; a URI without a port gets its scheme's default (80, 443).
     *
     * @throws IllegalArgumentException if the URI is relative, has another scheme, or names no host
     */
    public static Origin of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("'" + uri + "' has no scheme: write an absolute URI such as http://"
                    + uri);
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + uri + "': the HTTP client speaks http and https, not "
                    + scheme);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("'" + uri + "' names no host (a name with characters a URI host may "
                    + "not hold, such as '_', is not one): write http://host[:port]/path");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new Origin(scheme, host, port);
    }

    /** {@code http://host:port}, with the port always written and an IPv6 literal in brackets. */
    @Override
    public String toString() {
        return scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
