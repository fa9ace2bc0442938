package dev.weft.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Where a redirect leads, per RFC 9110 §15.4: 303 turns any method but HEAD into a GET without a body; 301 and 302
 * turn a POST into a GET, as every user agent does; 307 and 308 keep the method and the body. Credentials
 * ({@code Authorization}, {@code Cookie}, {@code Proxy-Authorization}) never follow a hop to another origin. A body
 * that cannot be written again (a producer's) is not followed by a redirect that keeps it: the 307 or 308 is returned.
 */
final class Redirects {
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Set<String> CREDENTIALS = Set.of("Authorization", "Cookie", "Proxy-Authorization");
    private static final Set<String> BODY_HEADERS = Set.of("Content-Type", "Content-Length", "Content-Encoding",
            "Expect");
    /** Printable ASCII a URI may not hold (RFC 3986 §2), which a browser percent-encodes in a Location. */
    private static final String NOT_IN_URI = "\"<>\\^`{|}";

    private Redirects() {
    }

    /** The next hop, or null if the response is not a redirect to follow (no Location, or not to http or https). */
    static OutgoingRequest next(OutgoingRequest hop, HttpResponse response) throws HttpProtocolException {
        if (!REDIRECTS.contains(response.status())) {
            return null;
        }
        String location = response.headers().first("Location");
        if (location == null) {
            return null;
        }
        URI target;
        try {
            target = hop.url().resolve(percentEncode(location.strip()));
        } catch (IllegalArgumentException e) {
            throw new HttpProtocolException(hop.url() + " redirected to a Location that is no URI: " + location);
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null; // not ours to follow: the caller gets the 3xx and its Location
        }
        Origin origin;
        try {
            origin = Origin.of(target);
        } catch (IllegalArgumentException e) { // the server's mistake, not the caller's: no host, a port past 65535
            throw new HttpProtocolException(hop.url() + " redirected to the Location " + location
                    + ", which is no URL to follow: " + e.getMessage(), e);
        }
        String method = hop.method();
        HttpHeaders.Builder headers = hop.headers().toBuilder();
        RequestBody body = hop.body();
        int status = response.status();
        if (status == 303 && !method.equals("HEAD") || (status == 301 || status == 302) && method.equals("POST")) {
            method = "GET";
            body = null;
            BODY_HEADERS.forEach(headers::remove);
        } else if (body != null && !body.repeatable()) {
            return null; // a one-shot body is gone: the caller gets the 307 or 308 and its Location
        }
        if (!origin.equals(Origin.of(hop.url()))) {
            CREDENTIALS.forEach(headers::remove);
        }
        return new OutgoingRequest(method, target, headers.build(), body);
    }

    /**
     * A Location's characters that a URI may not hold percent-encoded, as browsers and curl do: bytes above 0x7f
     * (UTF-8, as servers send it, each read as one ISO-8859-1 char), controls, the space, and {@code " < > \ ^ `}
     * and the curly brackets and bar. A request target is ASCII; {@code %}, {@code ?} and {@code #} keep their meaning.
     */
    private static String percentEncode(String location) {
        StringBuilder encoded = null;
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c <= ' ' || c >= 0x7f && c <= 0xff || NOT_IN_URI.indexOf(c) >= 0) {
                if (encoded == null) {
                    encoded = new StringBuilder(location.length() + 16).append(location, 0, i);
                }
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else if (encoded != null) {
                encoded.append(c);
            }
        }
        return encoded == null ? location : encoded.toString();
    }
}
