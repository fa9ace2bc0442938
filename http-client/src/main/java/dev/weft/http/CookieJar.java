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

    /** Keep the cookies a response from this URL sets. */
    void received(URI url, HttpHeaders headers) throws IOException {
        if (manager != null && headers.contains("Set-Cookie")) {
            manager.put(url, Map.of("Set-Cookie", headers.all("Set-Cookie")));
            keptAny = true;
        }
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
