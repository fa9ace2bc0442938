package dev.weft.http;

import org.junit.jupiter.api.Nested;

/** Every pool suite on every backend. */
class PoolTest {
    // @formatter:off
    @Nested class NioLimits extends LimitsPoolSuite { @Override String backend() { return TestLoops.NIO; } }
    @Nested class NioWaiting extends WaitingPoolSuite { @Override String backend() { return TestLoops.NIO; } }
    @Nested class NioLifecycle extends LifecyclePoolSuite { @Override String backend() { return TestLoops.NIO; } }
    @Nested class NioStress extends StressPoolSuite { @Override String backend() { return TestLoops.NIO; } }
    @Nested class NioRealSockets extends RealSocketsPoolSuite { @Override String backend() { return TestLoops.NIO; } }

    @Nested class EpollLimits extends LimitsPoolSuite { @Override String backend() { return TestLoops.EPOLL; } }
    @Nested class EpollWaiting extends WaitingPoolSuite { @Override String backend() { return TestLoops.EPOLL; } }
    @Nested class EpollLifecycle extends LifecyclePoolSuite { @Override String backend() { return TestLoops.EPOLL; } }
    @Nested class EpollStress extends StressPoolSuite { @Override String backend() { return TestLoops.EPOLL; } }
    @Nested class EpollRealSockets extends RealSocketsPoolSuite { @Override String backend() { return TestLoops.EPOLL; } }

    @Nested class IoUringLimits extends LimitsPoolSuite { @Override String backend() { return TestLoops.IOURING; } }
    @Nested class IoUringWaiting extends WaitingPoolSuite { @Override String backend() { return TestLoops.IOURING; } }
    @Nested class IoUringLifecycle extends LifecyclePoolSuite { @Override String backend() { return TestLoops.IOURING; } }
    @Nested class IoUringStress extends StressPoolSuite { @Override String backend() { return TestLoops.IOURING; } }
    @Nested class IoUringRealSockets extends RealSocketsPoolSuite { @Override String backend() { return TestLoops.IOURING; } }

    @Nested class VThreadsLimits extends LimitsPoolSuite { @Override String backend() { return TestLoops.VTHREADS; } }
    @Nested class VThreadsWaiting extends WaitingPoolSuite { @Override String backend() { return TestLoops.VTHREADS; } }
    @Nested class VThreadsLifecycle extends LifecyclePoolSuite { @Override String backend() { return TestLoops.VTHREADS; } }
    @Nested class VThreadsStress extends StressPoolSuite { @Override String backend() { return TestLoops.VTHREADS; } }
    @Nested class VThreadsRealSockets extends RealSocketsPoolSuite { @Override String backend() { return TestLoops.VTHREADS; } }
    // @formatter:on
}
