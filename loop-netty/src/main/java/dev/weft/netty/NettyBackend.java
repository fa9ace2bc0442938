package dev.weft.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * What a native backend tells the bridge: its I/O handler and its channel classes. Everything else — the loop, the
 * transports, servers, connects, datagrams — is shared by every Netty transport in {@link NettyEventLoop}.
 */
public interface NettyBackend {

    /** The loop's name, as {@code -Dweft.loop} spells it. */
    String name();

    /** Makes the one {@link io.netty.channel.IoHandler} (epoll, io_uring) each Weft loop drives. */
    IoHandlerFactory ioHandlerFactory();

    /** An unconnected stream channel for the address: TCP for an IP address, a Unix domain socket for a path. */
    Channel newStreamChannel(SocketAddress address);

    /** An unbound server channel for the address, TCP or Unix domain as for {@link #newStreamChannel}. */
    ServerChannel newServerChannel(SocketAddress address);

    /** An unbound UDP channel of the address family of {@code address} (IPv6 if it is null). */
    DatagramChannel newDatagramChannel(SocketAddress address);

    /**
     * Whether the channel stays open for writing after the peer's EOF. One that does not is closed by Netty at the
     * peer's EOF; the transport then reports the EOF, and the loss, itself.
     */
    default boolean keepsOpenAfterEof(Channel channel) {
        return true;
    }

    /**
     * The peer's EOF has been read on this channel (the socket stays open for writing): what the backend must then do
     * to keep the channel working. Loop thread only. By default nothing.
     */
    default void peerEnded(Channel channel) throws IOException {
    }

    /**
     * Stop a listening channel refusing connections now, before Netty closes it. Needed where closing is
     * asynchronous (io_uring closes with a submitted request, and a pending accept keeps the socket alive until it is
     * cancelled); by default closing is enough.
     */
    default void stopListening(ServerChannel channel) {
    }

    /**
     * Whether a write is never finished when Netty's {@code writeAndFlush} returns: io_uring queues the send for the
     * ring's next submission, where epoll writes to the socket at once. The transport then asks for a promise with the
     * write itself rather than after it (see {@code NettyStreamTransport.writeNow}). By default writes may finish at
     * once.
     */
    default boolean sendsLater() {
        return false;
    }

    /** Whether a loop may only ever be driven by the first thread that runs it (its I/O handler is tied to it). */
    default boolean pinnedToFirstThread() {
        return false;
    }

    /** The transport's SO_REUSEPORT option (Netty has one per native transport). */
    ChannelOption<Boolean> reusePort();
}
