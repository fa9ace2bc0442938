package dev.weft.iouring;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.netty.NettyEventLoop;
import dev.weft.netty.NettyLeakCheck;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Timeout.ThreadMode.SAME_THREAD;

/**
 * The suites of the API's exception and cancellation rules on the io_uring loop in the fallback task mode, where tasks
 * pass a baton with the loop thread: the rules must hold in both modes on every backend. The rest of the suites run
 * in baton mode on nio and vthreads, whose core is the same.
 */
@ExtendWith(NettyLeakCheck.class)
class IoUringBatonConformanceTest {
    static EventLoop iouring() {
        return new NettyEventLoop(new IoUringBackend(), TaskMode.BATON);
    }

    // @formatter:off
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // async streams (issue 15)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class AsyncStreams extends AsyncStreamSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class FlowInterop extends FlowInteropSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StreamCleanUp extends StreamCleanUpSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // channels and select (issue 15)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Channels extends ChannelSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Selects extends SelectSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // supervisors, links and monitors (issue 15)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Supervisors extends SupervisorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class MonitorsAndLinks extends MonitorLinkSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // task dumps (issue 17)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TaskDumps extends TaskDumpSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // loop health: stats and the lag probe (issue 17)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LoopHealth extends LoopStatsSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // debug mode (issue 17)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Debug extends DebugSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // lending reads (issue 16)
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LendingReads extends LendingReadSuite { @Override protected EventLoop newLoop() { return iouring(); } @Override protected boolean keepsDeliveredBuffers() { return true; } }
    // @formatter:on
}
