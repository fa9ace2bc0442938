package dev.weft.iouring;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.netty.NettyEventLoop;
import dev.weft.testkit.*;
import dev.weft.netty.NettyLeakCheck;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Timeout.ThreadMode.SAME_THREAD;

/**
 * Every conformance suite on the io_uring loop, with tasks carried by the loop thread. A ring belongs to the first
 * thread that runs its loop, so each test runs on JUnit's own thread (SAME_THREAD), where the suites run and close the
 * test's loop; a loop a test runs on another thread is closed there.
 */
@ExtendWith(NettyLeakCheck.class)
class IoUringConformanceTest {
    static EventLoop iouring() {
        return new NettyEventLoop(new IoUringBackend(), TaskMode.CARRIED);
    }

    // @formatter:off
    // the loop
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Callbacks extends CallbackSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class SignalHandlers extends SignalHandlerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Timers extends TimerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Tasks extends TaskSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Await extends AwaitSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class BlockingCalls extends BlockingCallSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Confinement extends ConfinementSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Lifecycle extends LifecycleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Threading extends ThreadingSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Scale extends ScaleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class VirtualTime extends VirtualTimeSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // structured concurrency
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // synchronization
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // networking
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Tls extends TlsSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class SendFile extends SendFileSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TransportEcho extends TransportEchoSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TransportHalfClose extends TransportHalfCloseSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TransportFlowControl extends TransportFlowControlSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TransportErrors extends TransportErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class TransportServers extends TransportServerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class UnixTransport extends UnixTransportSuite {
        @Override protected EventLoop newLoop() { return iouring(); }
        /** Netty 4.2.18 closes an io_uring Unix socket at the peer's EOF (ALLOW_HALF_CLOSURE needs a SocketChannelConfig). */
        @Override protected boolean unixSocketsHalfClose() { return false; }
    }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StreamReads extends StreamReadSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LargeReads extends LargeReadSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StreamWrites extends StreamWriteSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StreamServers extends StreamServerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StreamConnects extends StreamConnectSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class HappyEyeballs extends HappyEyeballsSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class Datagrams extends DatagramSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class LoopGroups extends LoopGroupSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // resource exhaustion
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class ResetStorms extends ResetStormSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class FaultInjection extends FaultInjectionSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class AcceptExhaustion extends AcceptExhaustionSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Timeout(value = 60, threadMode = SAME_THREAD) @Nested class StalledReaders extends StalledReaderSuite { @Override protected EventLoop newLoop() { return iouring(); } }
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
