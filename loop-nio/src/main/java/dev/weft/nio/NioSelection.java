package dev.weft.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;

/**
 * A transport's channel as its loop's selector holds it: the readiness the transport asks for, what a selection found
 * ready handed to the transport as "readable" and "writable", and the release of key and channel. The stream and the
 * datagram transport extend different bases, as their protocols differ, so they share this by each holding one.
 */
final class NioSelection implements NioEventLoop.Handler {
    /** What a transport does when its channel is ready. */
    interface Ready {
        /** The channel has bytes or a datagram to read, or an end or error to report. */
        void readable();

        /** The channel can take more of what is queued. */
        void writable();
    }

    private final SelectionKey key;
    private final Ready transport;
    private int interestOps; // what the key was last told, so an unchanged interest costs no call into the selector
    private boolean released; // the transport is lost or the loop closed: nothing is asked for or handed over

    /** Takes over the channel's key: the loop hands its selections to this, and this to the transport. */
    NioSelection(SelectionKey key, Ready transport) {
        this.key = key;
        this.transport = transport;
        key.attach(this);
    }

    /** Ask for reading, writing, both or neither; nothing once released. */
    void interest(boolean read, boolean write) {
        if (released) {
            return;
        }
        int ops = (read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    /**
     * A selection found the channel ready. Readiness the transport asks for no longer (it paused reading, its queue
     * emptied) is stale and ignored; reading may change what it asks for, so writing is checked after it.
     */
    @Override
    public void accept(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & interestOps & SelectionKey.OP_READ) != 0) {
            transport.readable();
        }
        if ((ready & interestOps & SelectionKey.OP_WRITE) != 0 && !released) {
            transport.writable();
        }
    }

    /** Leave the selector and close the channel, without calling back: the transport's end, or the loop's. */
    @Override
    public void release() {
        released = true;
        interestOps = 0;
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a socket fails only if it was never open; nothing is lost
        }
    }

    /** One of the channel's addresses, or null once it is closed (the transport's first read will find out). */
    static SocketAddress address(AddressQuery query) {
        try {
            return query.get();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code channel::getLocalAddress} or {@code channel::getRemoteAddress}. */
    @FunctionalInterface
    interface AddressQuery {
        SocketAddress get() throws IOException;
    }
}
