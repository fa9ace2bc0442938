package dev.weft.channel;

/**
 * What a buffered channel does with a send that finds its buffer full ({@link Channel#buffered(int, Overflow)}).
 */
public enum Overflow {
    /** The sender waits for room: backpressure. A task suspends, a foreign thread blocks. The default. */
    SUSPEND,
    /** The oldest buffered item is dropped to make room: the channel keeps the newest ones. Never waits. */
    DROP_OLDEST,
    /** The item being sent is dropped: the channel keeps the oldest ones. Never waits. */
    DROP_NEWEST
}
