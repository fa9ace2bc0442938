package dev.weft.bench.echo;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The three Netty 4.2 transports the raw echo servers run on, each named as Weft names its loop on the same transport
 * ({@code -Dweft.loop=nio|epoll|iouring}), so a Weft row and its yardstick share one word.
 */
enum NettyTransport {
    NIO("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, () -> null),
    EPOLL("epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class, Epoll::unavailabilityCause),
    IOURING("iouring", IoUringIoHandler::newFactory, IoUringServerSocketChannel.class, IoUring::unavailabilityCause);

    private final String loopName;
    private final Supplier<IoHandlerFactory> handlers;
    private final Class<? extends ServerChannel> serverChannel;
    private final Supplier<Throwable> unavailability;

    NettyTransport(String loopName, Supplier<IoHandlerFactory> handlers, Class<? extends ServerChannel> serverChannel,
                   Supplier<Throwable> unavailability) {
        this.loopName = loopName;
        this.handlers = handlers;
        this.serverChannel = serverChannel;
        this.unavailability = unavailability;
    }

    /** The transport named like Weft's loop on it. @throws IllegalArgumentException for another name */
    static NettyTransport named(String name) {
        for (NettyTransport transport : values()) {
            if (transport.loopName.equals(name.toLowerCase(Locale.ROOT))) {
                return transport;
            }
        }
        throw new IllegalArgumentException("--transport is nio, epoll or iouring, not '" + name + "'");
    }

    String loopName() {
        return loopName;
    }

    IoHandlerFactory handlers() {
        return handlers.get();
    }

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /**
     * Fail with the transport's own probe result when it cannot run here (no native library, io_uring disabled, a low
     * RLIMIT_MEMLOCK), so the harness can report the row as unavailable with Netty's reason.
     */
    void ensureAvailable() {
        Throwable cause = unavailability.get();
        if (cause != null) {
            throw new IllegalStateException("netty " + loopName + " unavailable: " + cause, cause);
        }
    }
}
