package dev.weft.iouring;

import dev.weft.epoll.EpollLoopProvider;
import dev.weft.loop.EventLoop;
import dev.weft.nio.NioEventLoop;
import dev.weft.testkit.MixedBackendSuite;
import dev.weft.netty.NettyLeakCheck;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each backend serving each other one: io_uring, epoll and nio, every pair in both directions. */
@ExtendWith(NettyLeakCheck.class)
class MixedBackendTest {
    static EventLoop iouring() {
        return new IoUringLoopProvider().newLoop();
    }

    static EventLoop epoll() {
        return new EpollLoopProvider().newLoop();
    }

    static EventLoop nio() {
        return new NioEventLoop();
    }

    // @formatter:off
    @Nested class IoUringServesEpoll extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return iouring(); }
        @Override protected EventLoop newClientLoop() { return epoll(); } }
    @Nested class EpollServesIoUring extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return epoll(); }
        @Override protected EventLoop newClientLoop() { return iouring(); } }
    @Nested class IoUringServesNio extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return iouring(); }
        @Override protected EventLoop newClientLoop() { return nio(); } }
    @Nested class NioServesIoUring extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return nio(); }
        @Override protected EventLoop newClientLoop() { return iouring(); } }
    @Nested class EpollServesNio extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return epoll(); }
        @Override protected EventLoop newClientLoop() { return nio(); } }
    @Nested class NioServesEpoll extends MixedBackendSuite {
        @Override protected EventLoop newServerLoop() { return nio(); }
        @Override protected EventLoop newClientLoop() { return epoll(); } }
    // @formatter:on
}
