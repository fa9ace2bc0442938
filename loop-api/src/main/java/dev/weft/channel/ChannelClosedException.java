package dev.weft.channel;

import java.util.NoSuchElementException;

/**
 * A receive found the channel closed and drained: the end of its items, not a bug. A {@link NoSuchElementException},
 * as an exhausted iterator's, and unchecked, so a loop over {@link Channel#receive()} can end on it; a for-each over
 * the channel ends without it.
 */
public class ChannelClosedException extends NoSuchElementException {
    private final transient Channel<?> channel;

    /** The channel is closed and every item sent before was received. */
    public ChannelClosedException(Channel<?> channel) {
        super(channel + " is closed and drained: every item sent before close() has been received");
        this.channel = channel;
    }

    /** The channel that ended. */
    public Channel<?> channel() {
        return channel;
    }
}
