package dev.weft.http;

/**
 * What the {@link ConnectionPool} needs of a connection. Both methods are called on the pool's loop and must not
 * await.
 */
interface PooledConnection {

    /**
     * Whether it can carry another request: false once closed by either side. An idle connection the server closed
     * (its keep-alive ran out first) answers false, and the pool drops it instead of handing it out.
     */
    boolean isOpen();

    /** Abort it: close without waiting and release everything it holds. Idempotent. */
    void close();
}
