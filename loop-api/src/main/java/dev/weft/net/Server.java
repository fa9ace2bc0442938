package dev.weft.net;

import dev.weft.loop.Future;

import java.net.SocketAddress;
import java.util.List;

/** A listening server: accepts connections until closed. Confined to its loop. */
public interface Server extends AutoCloseable {

    /** The addresses it listens on (with the real port when port 0 was asked for). */
    List<SocketAddress> addresses();

    /** Stop accepting; connections already accepted go on. Idempotent. */
    @Override
    void close();

    /** {@link #close()}, then close every connection it accepted that is still open. */
    void closeClients();

    /** Completes when the server has stopped accepting. */
    Future<Void> closed();

    boolean isServing();
}
