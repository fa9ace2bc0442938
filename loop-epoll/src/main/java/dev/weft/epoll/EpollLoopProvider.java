package dev.weft.epoll;

import dev.weft.netty.NettyLoopProvider;
import io.netty.channel.epoll.Epoll;

import java.util.Optional;

/** {@code -Dweft.loop=epoll}: Netty's native epoll on Linux. */
public final class EpollLoopProvider extends NettyLoopProvider {

    public EpollLoopProvider() {
        super(new EpollBackend());
    }

    @Override
    public String description() {
        return "Netty native epoll (Linux)";
    }

    /** Above nio (the same readiness model without the JDK's selected-key set), below io_uring. */
    @Override
    public int priority() {
        return 20;
    }

    @Override
    protected Optional<Throwable> probe() {
        return Epoll.isAvailable() ? Optional.empty() : Optional.of(Epoll.unavailabilityCause());
    }

    @Override
    protected String remedy() {
        return "epoll needs Linux on x86_64 or aarch64 with Netty's native jar (netty-transport-native-epoll) on the "
                + "class path; use -Dweft.loop=nio elsewhere";
    }
}
