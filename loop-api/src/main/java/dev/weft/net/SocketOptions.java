package dev.weft.net;

import java.time.Duration;

/**
 * Options of a TCP connection or server. {@code TCP_NODELAY} is on by default: Weft's users write request/response
 * protocols, where Nagle's algorithm only adds latency.
 *
 * @param noDelay     TCP_NODELAY
 * @param keepAlive   SO_KEEPALIVE
 * @param reuseAddress SO_REUSEADDR (servers)
 * @param reusePort   SO_REUSEPORT (servers), where the backend supports it
 * @param backlog     the accept queue length (servers)
 * @param connectTimeout how long a connect (and a TLS client's handshake) may take before it fails with a
 *                       {@link java.net.SocketTimeoutException} naming the address and the limit (clients); null or
 *                       zero: no limit, as with java.net.Socket
 */
public record SocketOptions(boolean noDelay, boolean keepAlive, boolean reuseAddress, boolean reusePort, int backlog,
                            Duration connectTimeout) {

    public static final SocketOptions DEFAULTS =
            new SocketOptions(true, false, true, false, 128, Duration.ofSeconds(30));

    public SocketOptions withNoDelay(boolean on) {
        return new SocketOptions(on, keepAlive, reuseAddress, reusePort, backlog, connectTimeout);
    }

    public SocketOptions withKeepAlive(boolean on) {
        return new SocketOptions(noDelay, on, reuseAddress, reusePort, backlog, connectTimeout);
    }

    public SocketOptions withReuseAddress(boolean on) {
        return new SocketOptions(noDelay, keepAlive, on, reusePort, backlog, connectTimeout);
    }

    public SocketOptions withReusePort(boolean on) {
        return new SocketOptions(noDelay, keepAlive, reuseAddress, on, backlog, connectTimeout);
    }

    public SocketOptions withBacklog(int entries) {
        return new SocketOptions(noDelay, keepAlive, reuseAddress, reusePort, entries, connectTimeout);
    }

    public SocketOptions withConnectTimeout(Duration timeout) {
        return new SocketOptions(noDelay, keepAlive, reuseAddress, reusePort, backlog, timeout);
    }
}
