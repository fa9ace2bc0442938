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

    /** io_uring is the cheapest backend per request on these machines, so auto takes it first (30). */
    @Override
    public int priority() {
        return 30;
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
