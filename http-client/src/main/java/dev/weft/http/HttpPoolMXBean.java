package dev.weft.http;

/**
 * A session's connection pool, as JMX shows it under {@code dev.weft:type=HttpPool,session=N}: the figures of
 * {@link HttpSession#poolStats()}, read on the session's loop when asked (so a read waits, at most 2 s, for a busy loop
 * to answer; a blocked loop's read fails saying so).
 */
public interface HttpPoolMXBean {

    /** Open connections waiting to be reused. */
    int getIdle();

    /** Connections leased to requests or being connected. */
    int getBusy();

    /** Of the busy ones, those still being connected. */
    int getConnecting();

    /** Tasks waiting for a connection. */
    int getWaiting();

    /** Idle and busy: what counts against the pool's total limit. */
    int getTotal();

    /** The same per origin, one line each: {@code http://host:port idle=1 busy=0 connecting=0 waiting=0}. */
    String[] getHosts();
}
