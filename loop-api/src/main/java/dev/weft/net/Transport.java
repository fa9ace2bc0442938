package dev.weft.net;

import dev.weft.loop.EventLoop;

import java.net.SocketAddress;

/** One end of a connection or a socket, as a backend provides it. Confined to its loop. */
public interface Transport {

    EventLoop loop();

    /** The local address, or null if unbound. */
    SocketAddress localAddress();

    /** The peer's address, or null if unconnected. */
    SocketAddress remoteAddress();

    /**
     * Close after the data already written has been sent; the protocol's {@code connectionLost(null)} follows.
     * Idempotent.
     */
    void close();

    /** Close now, dropping unsent data; the protocol's {@code connectionLost(null)} follows. Idempotent. */
    void abort();

    /** Whether {@link #close()} or {@link #abort()} was called or the connection was lost. */
    boolean isClosing();
}
