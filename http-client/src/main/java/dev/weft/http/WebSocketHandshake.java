package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * The opening handshake of RFC 6455 §4: an HTTP/1.1 GET with {@code Upgrade: websocket} and a random key, sent as any
 * request of the session is (its pool, connect path, TLS, default headers and cookies), and the checks of the answer:
 * 101 Switching Protocols, {@code Upgrade} and {@code Connection}, the key's {@code Sec-WebSocket-Accept}, a
 * subprotocol that was offered, an extension that was offered and can be honoured.
 */
final class WebSocketHandshake {
    /** Keys and masks: a peer must not be able to predict them (§5.3, §10.3). Thread-safe. */
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The GUID of §1.3 that the server appends to the key before hashing it. */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final URI url;      // ws:// or wss://, as the user wrote it
    private final URI httpUrl;  // the same, http:// or https://: where the GET goes
    private final WebSocketOptions options;
    private final String key;

    private WebSocketHandshake(URI url, URI httpUrl, WebSocketOptions options, String key) {
        this.url = url;
        this.httpUrl = httpUrl;
        this.options = options;
        this.key = key;
    }

    /**
     * A handshake to a ws:// or wss:// URL (http:// and https:// are taken as their WebSocket twins).
     *
     * @throws IllegalArgumentException for another scheme, or a URL with a fragment (§3)
     */
    static WebSocketHandshake to(URI url, WebSocketOptions options) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String httpScheme = switch (scheme) {
            case "ws", "http" -> "http";
            case "wss", "https" -> "https";
            default -> throw new IllegalArgumentException("'" + url + "' is not a WebSocket URL: write ws://host/path "
                    + "or wss://host/path");
        };
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + url + "': a WebSocket URL has no fragment (RFC 6455 §3); leave "
                    + "out the '#" + url.getRawFragment() + "'");
        }
        URI httpUrl = URI.create(httpScheme + url.toString().substring(scheme.length()));
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new WebSocketHandshake(url, httpUrl, options, Base64.getEncoder().encodeToString(nonce));
    }

    URI url() {
        return url;
    }

    /** The GET that asks for the upgrade; the session adds Host, its default headers and cookies. */
    OutgoingRequest request() {
        HttpHeaders.Builder headers = options.headers().toBuilder()
                .set("Upgrade", "websocket")
                .set("Connection", "Upgrade")
                .set("Sec-WebSocket-Key", key)
                .set("Sec-WebSocket-Version", "13");
        if (!options.subprotocols().isEmpty()) {
            headers.set("Sec-WebSocket-Protocol", String.join(", ", options.subprotocols()));
        }
        if (options.compress()) {
            headers.set("Sec-WebSocket-Extensions", WebSocketDeflate.OFFER);
        }
        return new OutgoingRequest("GET", httpUrl, headers.build(), null);
    }

    /**
     * Check the server's answer and hand its connection to a new WebSocket, whose sends wait at most
     * {@code writeTimeout} (null: no limit) for the connection to take them.
     *
     * @throws WebSocketHandshakeException if it is not a 101 that completes this handshake; the response is closed
     */
    WebSocket finish(HttpResponse response, Duration writeTimeout) throws IOException {
        if (response.status() != 101) {
            String body = shortBody(response);
            throw refused("answered " + response.status() + (response.reason().isEmpty() ? "" : " "
                    + response.reason()) + " instead of 101 Switching Protocols", response, body);
        }
        HttpHeaders headers = response.headers();
        WebSocketDeflate deflate;
        String subprotocol = headers.first("Sec-WebSocket-Protocol");
        try {
            if (!"websocket".equalsIgnoreCase(String.valueOf(headers.first("Upgrade")).strip())) {
                throw refused("switched to '" + headers.first("Upgrade") + "', not to websocket", response, "");
            }
            if (!headers.containsToken("Connection", "upgrade")) {
                throw refused("answered 101 without 'Connection: Upgrade'", response, "");
            }
            String accept = headers.first("Sec-WebSocket-Accept");
            if (!expectedAccept(key).equals(accept == null ? null : accept.strip())) {
                throw refused("answered Sec-WebSocket-Accept '" + accept + "', not '" + expectedAccept(key)
                        + "', the hash of the key sent (RFC 6455 §4.2.2): it did not take part in this handshake",
                        response, "");
            }
            if (subprotocol != null && !options.subprotocols().contains(subprotocol.strip())) {
                throw refused("chose the subprotocol '" + subprotocol + "', which was not offered (offered: "
                        + options.subprotocols() + ")", response, "");
            }
            deflate = WebSocketDeflate.negotiate(headers.all("Sec-WebSocket-Extensions"), options.compress());
        } catch (WebSocketDeflate.Refused e) {
            response.close();
            throw refused("answered an extension this side cannot use: " + e.getMessage(), response, "");
        } catch (WebSocketHandshakeException e) {
            response.close(); // a 101 that broke the rules: its connection is closed, never reused
            throw e;
        }
        ConnectionPool.Lease<HttpConnection> lease = response.exchange().upgrade();
        response.close(); // its exchange gave the connection up: this only frees the response's own decoder
        ByteBuffer first = lease.connection().unparsed();
        return new WebSocket(url, lease, first, subprotocol == null ? null : subprotocol.strip(), deflate,
                options, writeTimeout, RANDOM);
    }

    /** What {@code Sec-WebSocket-Accept} must be for {@code key}: base64 of SHA-1 of key and GUID (§4.2.2). */
    static String expectedAccept(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-1", e);
        }
    }

    /** The answer's body as text if it is short, else empty; the response is closed either way. */
    private static String shortBody(HttpResponse response) throws IOException {
        try (response) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (ByteBuffer chunk = response.readChunk(); chunk != null; chunk = response.readChunk()) {
                if (body.size() + chunk.remaining() > WebSocketHandshakeException.MAX_BODY) {
                    return "";
                }
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                body.write(bytes);
            }
            return body.toString(response.charset(StandardCharsets.UTF_8));
        }
    }

    private WebSocketHandshakeException refused(String what, HttpResponse response, String body) {
        return new WebSocketHandshakeException("the WebSocket handshake with " + url + " failed: the server " + what
                + (body.isEmpty() ? "" : ": " + body.strip()), response.status(), response.headers(), body);
    }
}
