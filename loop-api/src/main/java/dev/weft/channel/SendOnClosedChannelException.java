package dev.weft.channel;

import dev.weft.loop.InvalidStateException;

/**
 * A send on a channel that is closed, or was closed while the sender waited: the item was not sent. A bug in who
 * closes the channel — as in Go, only the sending side should close it, once every sender is done — so it is an
 * {@link InvalidStateException}, distinct from {@link ChannelClosedException}, the receivers' normal end.
 */
public class SendOnClosedChannelException extends InvalidStateException {
    private final transient Channel<?> channel;

    /** The send was on this channel. */
    public SendOnClosedChannelException(Channel<?> channel) {
        super("send on " + channel + ", which is closed: the item was not sent; close a channel only once every "
                + "sender is done (the sending side closes), or select on a quit channel to stop senders");
        this.channel = channel;
    }

    /** The closed channel. */
    public Channel<?> channel() {
        return channel;
    }
}
