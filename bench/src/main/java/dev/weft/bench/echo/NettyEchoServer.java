package dev.weft.bench.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;

import java.net.InetSocketAddress;

/**
 * A raw Netty echo server on one event loop of the chosen transport: the yardstick for Weft's echo servers on the same
 * transport. It is the echo a Netty user writes for speed: write each buffer as it is read (no copy, the buffer goes
 * back to the allocator once written) and flush once per read burst, so a burst costs one write system call.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.echo.NettyEchoServer --transport epoll --port 7001
 * </pre>
 *
 * <p>Reads use Netty's adaptive size guess, floored at 2 KiB ({@code --read-min}): once the guess shrank to exactly the
 * message size, a 1 KiB read filled the buffer, and Netty, taking a full buffer for "maybe more", read again and got
 * EAGAIN (one strace showed 12% more reads than requests; with the floor, reads equal requests).
 *
 * <p>{@code --allocator} is Netty's default (in 4.2 the adaptive pooling allocator, direct buffers) unless set to
 * {@code pooled} for the classic arena allocator of 4.1; both pool, so neither pays an allocation per read.
 *
 * <p>{@code --buffer-ring true} (io_uring only) is what io_uring offers that epoll cannot: a ring of 512 provided
 * 16 KiB buffers, from which the kernel picks one for each receive, and so one multishot receive per connection, armed
 * once, instead of a poll and a receive submitted for every message.
 */
public final class NettyEchoServer {
    private static final short BUFFER_GROUP = 1;

    @Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private NettyEchoServer() {
    }

    /** io_uring with a ring of provided buffers, from which the kernel picks one for each completed receive. */
    private static IoHandlerFactory bufferRingHandlers() {
        IoUringBufferRingConfig ring = IoUringBufferRingConfig.builder().bufferGroupId(BUFFER_GROUP).bufferRingSize(
                (short) 512).batchSize(64).allocator(new IoUringFixedBufferRingAllocator(16 * 1024)).build();
        return IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setBufferRingConfig(ring));
    }

    public static void main(String[] args) throws InterruptedException {
        Args options = Args.parse(args);
        NettyTransport transport = NettyTransport.named(options.text("transport", "nio"));
        InetSocketAddress address = new InetSocketAddress(options.text("host", "127.0.0.1"), options.integer("port", 7001));
        ByteBufAllocator allocator = switch (options.text("allocator", "default")) {
            case "default" -> ByteBufAllocator.DEFAULT;
            case "pooled" -> PooledByteBufAllocator.DEFAULT;
            default -> throw new IllegalArgumentException("--allocator is default or pooled");
        };
        try {
            transport.ensureAvailable();
        } catch (IllegalStateException unavailable) {
            System.err.println(unavailable.getMessage()); // one line: the harness reports it as the row's reason
            System.exit(2);
        }
        // One loop thread: the server is pinned to one core, and Weft's server runs one loop too.
        boolean bufferRing = Boolean.parseBoolean(options.text("buffer-ring", "false"));
        if (bufferRing && transport != NettyTransport.IOURING) {
            throw new IllegalArgumentException("--buffer-ring true needs --transport iouring");
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, bufferRing ? bufferRingHandlers()
                : transport.handlers());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap();
            if (bufferRing) {
                bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, BUFFER_GROUP);
            }
            Channel channel = bootstrap
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, allocator)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                            options.integer("read-min", 2048), 2048, 65536))
                    .childHandler(new Echo())
                    .bind(address).sync().channel();
            System.out.println("netty " + transport.loopName() + " echo server (" + allocator.getClass().getSimpleName()
                    + ") on " + channel.localAddress());
            channel.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
