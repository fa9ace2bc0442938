package dev.weft.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An HTTP proxy: where it listens and the credentials it wants, if any. Plain http requests are sent to it whole
 * ({@code GET http://host/path HTTP/1.1}, with {@code Proxy-Authorization}); https requests go through a tunnel it
 * opens with {@code CONNECT host:443}, and TLS runs end to end with the origin over it. Its credentials go to it
 * alone, never to an origin.
 *
 * <p>{@link #toString()} hides the password: a proxy may be logged.
 *
 * @param origin   where the proxy listens; its scheme is http (the client speaks to the proxy in clear)
 * @param user     the Basic user name, or null for a proxy that wants none
 * @param password the Basic password, or null with no user
 */
public record HttpProxy(Origin origin, String user, String password) {

    /** @throws IllegalArgumentException if the proxy's scheme is not http, or a user has no password or holds ':' */
    public HttpProxy {
        Objects.requireNonNull(origin, "origin");
        if (!origin.scheme().equals("http")) {
            throw new IllegalArgumentException("proxy " + origin + ": only http:// proxies are supported (https "
                    + "requests still go through them, in a CONNECT tunnel); write http://" + Route.authority(origin));
        }
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("proxy " + origin + ": give both a user and a password, or neither");
        }
        if (user != null && user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("proxy " + origin + ": a Basic user name cannot contain ':' "
                    + "(RFC 7617)");
        }
    }

    /**
     * A proxy from its URL, as curl and aiohttp take it: {@code http://user:password@host:port}. The scheme may be
     * left out ({@code host:port} means {@code http://host:port}, as in {@code HTTP_PROXY}); the port defaults to
     * 80; user and password are percent-decoded (write {@code %40} for '@', {@code %3A} for ':').
     *
     * @throws IllegalArgumentException if it is no URL, names no host, has a path, or another scheme than http
     */
    public static HttpProxy parse(String url) {
        Objects.requireNonNull(url, "url");
        String text = url.strip();
        URI uri;
        try {
            uri = new URI(text.contains("://") ? text : "http://" + text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + redact(text) + "' is no proxy URL (" + e.getReason()
                    + "): write http://[user:password@]host:port", e);
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("proxy URL '" + redact(text) + "' has a path or query; a proxy is "
                    + "http://[user:password@]host:port");
        }
        Origin origin = Origin.of(uri);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return new HttpProxy(origin, null, null);
        }
        int colon = userInfo.indexOf(':');
        String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
        String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        return new HttpProxy(origin, user, password);
    }

    /** The {@code Proxy-Authorization} value (Basic, RFC 7617, UTF-8), or null without credentials. */
    String authorization() {
        if (user == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@code http://user:***@host:port}: never the password. */
    @Override
    public String toString() {
        return "http://" + (user == null ? "" : user + ":***@") + Route.authority(origin);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8); // '+' is itself in user info
    }

    /** The URL with any password blanked out, for messages. */
    private static String redact(String url) {
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@");
    }
}
