package dev.weft.iouring;

import dev.weft.netty.NettyLoopProvider;
import io.netty.channel.uring.IoUring;

import java.util.Optional;

/** {@code -Dweft.loop=iouring}: Netty's native io_uring on Linux 5.x and later. */
public final class IoUringLoopProvider extends NettyLoopProvider {

    public IoUringLoopProvider() {
        super(new IoUringBackend());
    }

    @Override
    public String description() {
        return "Netty native io_uring (Linux)";
    }

    /**
     * With its ring pinned to the loop's thread (the default) io_uring is the cheapest backend per request on these
     * machines, and auto takes it first (30). A ring that may follow its loop from thread to thread
     * ({@code -Dweft.iouring.pinned=false}) gives up the kernel's deferred completion work and costs more than epoll
     * per echo request, so auto then prefers epoll (20) and takes io_uring (15) only before nio (10).
     */
    @Override
    public int priority() {
        return IoUringBackend.pinnedByDefault() ? 30 : 15;
    }

    @Override
    protected Optional<Throwable> probe() {
        return IoUring.isAvailable() ? Optional.empty() : Optional.of(IoUring.unavailabilityCause());
    }

    @Override
    protected String remedy() {
        return "io_uring needs Linux 5.14 or later with /proc/sys/kernel/io_uring_disabled at 0, enough locked memory "
                + "for its rings (raise it with ulimit -l), and Netty's native jar (netty-transport-native-io_uring) on "
                + "the class path; use -Dweft.loop=epoll or nio meanwhile";
    }
}
