package dev.weft.net;

/**
 * How a {@link GroupServer} spreads the connections it accepts over the loops of its group.
 */
public enum Spread {
    /**
     * {@link #REUSE_PORT} where every loop's backend declares {@link dev.weft.loop.Capability#REUSE_PORT} and the
     * address is TCP, else {@link #ACCEPTOR}. A group of one loop listens plainly on it.
     */
    AUTO,
    /**
     * Every loop listens on the address with SO_REUSEPORT and the kernel spreads the connections (by a hash of the
     * peer's address and port on Linux): no loop is a bottleneck, and no connection changes thread.
     */
    REUSE_PORT,
    /**
     * Loop 0 accepts every connection and hands them to the loops in turn, round-robin; for backends or platforms
     * without SO_REUSEPORT, and for Unix domain sockets. Needs a backend that implements
     * {@link NetworkLoop#listen(java.net.SocketAddress, java.util.function.Supplier, SocketOptions,
     * java.util.function.Supplier) listen with a placement}.
     */
    ACCEPTOR
}
