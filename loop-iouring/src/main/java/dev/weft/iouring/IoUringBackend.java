package dev.weft.iouring;

import dev.weft.netty.NettyBackend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Netty's native io_uring transport: reads, writes and accepts are submitted to a ring shared with the kernel and
 * their completions reaped in batches. Its stream sockets are dual-stack IPv6 sockets, which reach IPv4 peers too.
 * Every accept and every poll is a one-shot request ({@link OneShotRequests} says why).
 */
final class IoUringBackend implements NettyBackend {
    static final String NAME = "iouring";
    static final String REMOVED_PINNING_PROPERTY = "weft.iouring.pinned";
    private static final AtomicBoolean WARNED_OF_PINNING = new AtomicBoolean();

    static {
        OneShotRequests.request(); // every Weft path to Netty's io_uring starts here, before Netty reads the switches
    }

    /**
     * A loop's ring belongs to the first thread that runs the loop, as Netty's own rings do: IORING_SETUP_SINGLE_ISSUER
     * lets the kernel defer completion work to that thread's next io_uring_enter (DEFER_TASKRUN), and the ring fd is
     * registered with it. The loop can then only be run and closed on that thread, which {@code Loops.run} and loop
     * groups do. A ring that followed its loop between threads was tried and removed: it corrupted the native heap
     * (docs/design.md, "Pinned rings").
     */
    @Override
    public boolean pinnedToFirstThread() {
        return true;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        OneShotRequests.warnIfMultishot();
        warnIfUnpinningAskedFor();
        return IoUringIoHandler.newFactory(); // Netty's defaults: SINGLE_ISSUER, DEFER_TASKRUN, a registered fd
    }

    /** Say once that the switch to a ring that moves between threads is gone, to whoever still sets it. */
    private static void warnIfUnpinningAskedFor() {
        if (System.getProperty(REMOVED_PINNING_PROPERTY) != null && WARNED_OF_PINNING.compareAndSet(false, true)) {
            System.getLogger("dev.weft.iouring").log(Level.WARNING, "weft: -D" + REMOVED_PINNING_PROPERTY
                    + " is no longer read: an io_uring loop is tied to the thread that first runs it (a ring that "
                    + "moved between threads corrupted the native heap; docs/design.md, \"Pinned rings\"); for a "
                    + "loop that moves between threads, use -Dweft.loop=epoll");
        }
    }

    @Override
    public Channel newStreamChannel(SocketAddress address) {
        return address instanceof InetSocketAddress ? new IoUringSocketChannel() : new IoUringDomainSocketChannel();
    }

    @Override
    public ServerChannel newServerChannel(SocketAddress address) {
        return address instanceof InetSocketAddress
                ? new IoUringServerSocketChannel()
                : new IoUringServerDomainSocketChannel();
    }

    @Override
    public DatagramChannel newDatagramChannel(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address
                ? new IoUringDatagramChannel(SocketProtocolFamily.INET)
                : new IoUringDatagramChannel();
    }

    /**
     * Not over Unix domain sockets: Netty 4.2.18 honours ALLOW_HALF_CLOSURE only for a SocketChannelConfig, which
     * IoUringDomainSocketChannel's config is not, so it closes such a channel at the peer's EOF.
     */
    @Override
    public boolean keepsOpenAfterEof(Channel channel) {
        return !(channel instanceof IoUringDomainSocketChannel);
    }

    /**
     * Shut the listening socket down at once: io_uring closes its fd with a submitted request, and the pending accept
     * holds the socket until it is cancelled, so without this the port goes on accepting for a moment after close.
     */
    @Override
    public void stopListening(ServerChannel channel) {
        FileDescriptor fd = switch (channel) {
            case IoUringServerSocketChannel tcp when tcp.isOpen() -> tcp.fd();
            case IoUringServerDomainSocketChannel unix when unix.isOpen() -> unix.fd();
            default -> null;
        };
        if (fd instanceof Socket socket) {
            try {
                socket.shutdown();
            } catch (IOException ignored) {
                // not listening any more: that is what was wanted
            }
        }
    }

    /** Every send is a request submitted at the ring's next io_uring_enter, and completed after it. */
    @Override
    public boolean sendsLater() {
        return true;
    }

    @Override
    public ChannelOption<Boolean> reusePort() {
        return IoUringChannelOption.SO_REUSEPORT;
    }
}
