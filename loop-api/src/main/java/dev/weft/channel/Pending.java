package dev.weft.channel;

/**
 * A waiter's place in a channel's queue of senders or of receivers: a plain send or receive, or one case of a select.
 * Whoever completes it through the channel completes its waiter with what the waiter expects: the bare item (or a
 * marker) for a plain operation, a {@link Selected} for a select. Called under the channel's lock, which wakes the
 * waiter once it is let go ({@link Channel#complete}).
 */
final class Pending<T> {
    /** The result of a plain send that was received. */
    static final Object SENT = new Object();
    /** The result of a plain receive whose channel was closed while it waited. */
    static final Object CLOSED = new Object();

    /** The result of a waiting send whose channel was closed: it throws SendOnClosedChannelException. */
    record Refused(Channel<?> channel) {
    }

    final Waiter waiter;
    final T item; // what a sender offers; null for a receiver
    private final boolean selecting;

    Pending(Waiter waiter, T item, boolean selecting) {
        this.waiter = waiter;
        this.item = item;
        this.selecting = selecting;
    }

    /** This receiver is given the item; false if its waiter was completed otherwise first. */
    boolean receive(Channel<T> channel, T value) {
        return channel.complete(waiter, selecting ? new Selected.Received<>(channel, value) : value);
    }

    /** This sender's item was taken; false if its waiter was completed otherwise first. */
    boolean taken(Channel<T> channel) {
        return channel.complete(waiter, selecting ? new Selected.Sent<>(channel) : SENT);
    }

    /** The channel closed while this receiver waited. */
    void closed(Channel<T> channel) {
        channel.complete(waiter, selecting ? new Selected.Closed(channel) : CLOSED);
    }

    /** The channel closed while this sender waited: the item was not sent. */
    void refused(Channel<T> channel) {
        channel.complete(waiter, new Refused(channel));
    }
}
