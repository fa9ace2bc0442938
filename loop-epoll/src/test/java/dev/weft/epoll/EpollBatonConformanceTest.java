package dev.weft.epoll;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.netty.NettyEventLoop;
import dev.weft.netty.NettyLeakCheck;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The suites of the API's exception and cancellation rules on the epoll loop in the fallback task mode, where tasks
 * pass a baton with the loop thread: the rules must hold in both modes on every backend. The rest of the suites run
 * in baton mode on nio and vthreads, whose core is the same.
 */
@ExtendWith(NettyLeakCheck.class)
class EpollBatonConformanceTest {
    static EventLoop epoll() {
        return new NettyEventLoop(new EpollBackend(), TaskMode.BATON);
    }

    // @formatter:off
    @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // async streams (issue 15)
    @Nested class AsyncStreams extends AsyncStreamSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class FlowInterop extends FlowInteropSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StreamCleanUp extends StreamCleanUpSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // channels and select (issue 15)
    @Nested class Channels extends ChannelSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Selects extends SelectSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // supervisors, links and monitors (issue 15)
    @Nested class Supervisors extends SupervisorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class MonitorsAndLinks extends MonitorLinkSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // task dumps (issue 17)
    @Nested class TaskDumps extends TaskDumpSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // loop health: stats and the lag probe (issue 17)
    @Nested class LoopHealth extends LoopStatsSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // debug mode (issue 17)
    @Nested class Debug extends DebugSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // lending reads (issue 16)
    @Nested class LendingReads extends LendingReadSuite { @Override protected EventLoop newLoop() { return epoll(); } @Override protected boolean keepsDeliveredBuffers() { return true; } }
    // @formatter:on
}
