package dev.weft.http;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A session's cookies: the JDK's {@code CookieManager}, whose default policy accepts a cookie only for the server
 * that set it (domain, path, expiry, {@code Secure} and host-only rules are the JDK's), kept rather than written again.
 */
final class CookieJar {
    /** The jar of a session that keeps no cookies. */
    static final CookieJar NONE = new CookieJar(null);

    private final CookieManager manager;
    private boolean keptAny; // until a response sets a cookie, a request needs no look-up in the JDK's store

    private CookieJar(CookieManager manager) {
        this.manager = manager;
    }

    static CookieJar create() {
        return new CookieJar(new CookieManager());
    }

    /**
     * Keep the cookies a response from this URL sets. One with a control character is ignored whole (RFC 6265bis
     * §5.7): it could never be sent back, as no request field may hold one.
     */
    void received(URI url, HttpHeaders headers) throws IOException {
        if (manager != null && headers.contains("Set-Cookie")) {
            List<String> cookies = headers.all("Set-Cookie").stream().filter(CookieJar::noControls).toList();
            if (!cookies.isEmpty()) {
                manager.put(url, Map.of("Set-Cookie", cookies));
                keptAny = true;
            }
        }
    }

    private static boolean noControls(String setCookie) {
        return setCookie.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
    }

    /** The Cookie header a request to this URL carries, or null if none. */
    String headerFor(URI url) throws IOException {
        if (manager == null || !keptAny) {
            return null;
        }
        List<String> values = manager.get(url, Map.of()).getOrDefault("Cookie", List.of());
        return values.isEmpty() ? null : String.join("; ", values);
    }
}
