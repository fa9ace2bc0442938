package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which hops keep the caller's credentials: the origin decides (scheme, host, port, as RFC 6454 says), never what a
 * Location looks like. End to end, on every backend: {@code SecurityDefaultsTest}.
 */
class RedirectsTest {
    private static final HttpHeaders CREDENTIALS = HttpHeaders.of("Authorization", "Bearer secret", "Cookie", "id=1",
            "Proxy-Authorization", "Basic cHJveHk6cGFzcw==");

    @Test
    void credentialsFollowOnlyToTheSameSchemeHostAndPort() throws Exception {
        Map<String, Boolean> kept = Map.of(
                "https://a.test/x", true,
                "https://A.TEST:443/x", true,             // the same origin, written otherwise
                "https://user:pw@a.test/x", true,         // userinfo is no part of the origin (and is never sent)
                "http://a.test/x", false,                 // https to http on the same host: a downgrade
                "http://a.test:443/x", false,             // the same port, another scheme
                "https://a.test:8443/x", false,           // another port
                "https://a.test@evil.test/x", false,      // userinfo that looks like the host
                "https://a.test.evil.test/x", false);
        for (var hop : kept.entrySet()) {
            OutgoingRequest next = Redirects.next(new OutgoingRequest("GET", URI.create("https://a.test/start"),
                    CREDENTIALS, null), HttpResponse.of(new OutgoingRequest("GET", URI.create("https://a.test/start"),
                    HttpHeaders.EMPTY, null), 302, HttpHeaders.of("Location", hop.getKey()), new byte[0]));
            for (String name : new String[] {"Authorization", "Cookie", "Proxy-Authorization"}) {
                assertEquals(hop.getValue(), next.headers().first(name) != null, name + " to " + hop.getKey());
            }
        }
    }

    /**
     * A Location with characters a URI may not hold (a space, quotes, angle and curly brackets, a backslash, UTF-8
     * bytes) is followed with each percent-encoded, as browsers and curl send it, rather than refused; its {@code %},
     * {@code ?} and {@code #} keep their meaning.
     */
    @Test
    void aLocationWithBytesAUriMayNotHoldIsFollowedPercentEncoded() throws Exception {
        OutgoingRequest hop = new OutgoingRequest("GET", URI.create("https://a.test/start"), HttpHeaders.EMPTY, null);
        OutgoingRequest next = Redirects.next(hop, HttpResponse.of(hop, 302,
                HttpHeaders.of("Location", "/a b/\"<x>\\^`{|}/caf\u00c3\u00a9/%41?q=1 2#top"), new byte[0]));
        assertEquals("https://a.test/a%20b/%22%3Cx%3E%5C%5E%60%7B%7C%7D/caf%C3%A9/%41?q=1%202#top",
                next.url().toString());
    }
}
