package dev.weft.netty;

import dev.weft.net.SocketOptions;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;

/** The options every channel of the bridge gets, from Weft's {@link SocketOptions}. */
final class NettyChannels {
    private static final int MIN_READ = 2048;
    private static final int INITIAL_READ = 16 * 1024;
    private static final int MAX_READ = 64 * 1024;
    private NettyChannels() {
    }

    /** A connection (connected by us or accepted): half-closure is Weft's to decide, timeouts are Weft's timers. */
    static void configureConnection(Channel channel, boolean tcp, SocketOptions options) {
        ChannelConfig config = channel.config();
        config.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        config.setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        // Netty's read-size guess shrinks to the message size; a guess of exactly 1 KiB for 1 KiB messages fills the
        // buffer every time, and Netty reads again only to get EAGAIN. A 2 KiB floor saves that system call.
        config.setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(MIN_READ, INITIAL_READ, MAX_READ));
        // Netty 4.2's default allocator (adaptive) frees a chunk once its last buffer is released and its central
        // queue is full, and a lending reader holds read buffers until its task has written them back: at 100 KiB over
        // 100 connections (streams mode, epoll) chunks were freed and allocated again, and each new one was
        // page-faulted in by the kernel's copy into it (a recvfrom took 4x raw Netty's). The pooled allocator keeps
        // its chunks: 1.6x the echoes at full CPU there, two interleaved pairs.
        config.setAllocator(PooledByteBufAllocator.DEFAULT);
        if (tcp) {
            config.setOption(ChannelOption.TCP_NODELAY, options.noDelay());
            config.setOption(ChannelOption.SO_KEEPALIVE, options.keepAlive());
        }
    }

    /** A listening socket. */
    static void configureServer(Channel channel, boolean tcp, SocketOptions options, NettyBackend backend) {
        ChannelConfig config = channel.config();
        if (options.backlog() > 0) { // 0: the system's default, as for the JDK's bind
            config.setOption(ChannelOption.SO_BACKLOG, options.backlog());
        }
        if (tcp) {
            config.setOption(ChannelOption.SO_REUSEADDR, options.reuseAddress());
            if (options.reusePort()) {
                config.setOption(backend.reusePort(), true);
            }
        }
    }
}
