package dev.weft.http;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link HttpSession#webSocket(String, WebSocketOptions)} opens a WebSocket and what the socket accepts. The
 * handshake itself is bounded by the session's {@link HttpTimeouts} (connect, write, read and total), as a request is.
 *
 * @param headers         extra headers of the handshake request (an {@code Origin} or {@code Authorization}, say);
 *                        the ones the handshake owns ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*})
 *                        are refused
 * @param subprotocols    the subprotocols offered, most wanted first ({@code Sec-WebSocket-Protocol}); the server
 *                        picks one or none ({@link WebSocket#subprotocol()})
 * @param maxMessageBytes the largest message taken from the peer, as sent and once inflated; a larger one closes the
 *                        socket with 1009 and a {@link WebSocketMessageTooBigException}
 * @param heartbeat       null, or how often to ping the peer while it is silent; a peer that sent nothing for a
 *                        whole interval after a ping is taken for gone and the socket is aborted
 * @param compress        whether to offer permessage-deflate (RFC 7692)
 * @param closeTimeout    how long {@link WebSocket#close} waits for the peer's close frame before it aborts the
 *                        connection
 */
public record WebSocketOptions(HttpHeaders headers, List<String> subprotocols, int maxMessageBytes,
                               Duration heartbeat, boolean compress, Duration closeTimeout) {
    /** No extra headers or subprotocols, messages up to 4 MiB (as aiohttp), no heartbeat, compression, 10 s to close. */
    public static final WebSocketOptions DEFAULTS = new WebSocketOptions(HttpHeaders.EMPTY, List.of(), 4 << 20,
            null, true, Duration.ofSeconds(10));

    private static final Set<String> OWN_HEADERS = Set.of("upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "sec-websocket-accept");

    /**
     * @throws IllegalArgumentException for a header the handshake owns, a subprotocol that is not a token, a limit
     *                                  that is not positive
     */
    public WebSocketOptions {
        Objects.requireNonNull(headers, "headers");
        subprotocols = List.copyOf(subprotocols);
        for (var header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (OWN_HEADERS.contains(name)) {
                throw new IllegalArgumentException("the WebSocket handshake sets " + header.getKey() + " itself"
                        + (name.equals("sec-websocket-protocol") ? ": offer subprotocols with withSubprotocols"
                        : name.equals("sec-websocket-extensions") ? ": turn compression on or off with withCompress"
                        : ": leave it out of the headers"));
            }
        }
        for (String protocol : subprotocols) {
            if (protocol.isEmpty() || HttpChars.firstNonTchar(protocol) >= 0) {
                throw new IllegalArgumentException("a WebSocket subprotocol is a token (RFC 6455 §4.1): '" + protocol
                        + "' is not one");
            }
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
        if (heartbeat != null && (heartbeat.isNegative() || heartbeat.isZero())) {
            throw new IllegalArgumentException("the heartbeat must be positive, or null for none: " + heartbeat);
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("the close timeout must be positive: " + closeTimeout);
        }
    }

    public WebSocketOptions withHeaders(HttpHeaders extra) {
        return new WebSocketOptions(extra, subprotocols, maxMessageBytes, heartbeat, compress, closeTimeout);
    }

    public WebSocketOptions withSubprotocols(String... offered) {
        return new WebSocketOptions(headers, List.of(offered), maxMessageBytes, heartbeat, compress, closeTimeout);
    }

    public WebSocketOptions withMaxMessageBytes(int limit) {
        return new WebSocketOptions(headers, subprotocols, limit, heartbeat, compress, closeTimeout);
    }

    public WebSocketOptions withHeartbeat(Duration interval) {
        return new WebSocketOptions(headers, subprotocols, maxMessageBytes, interval, compress, closeTimeout);
    }

    public WebSocketOptions withCompress(boolean offer) {
        return new WebSocketOptions(headers, subprotocols, maxMessageBytes, heartbeat, offer, closeTimeout);
    }

    public WebSocketOptions withCloseTimeout(Duration limit) {
        return new WebSocketOptions(headers, subprotocols, maxMessageBytes, heartbeat, compress, limit);
    }
}
