package dev.weft.epoll;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.netty.NettyEventLoop;
import dev.weft.testkit.*;
import dev.weft.netty.NettyLeakCheck;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every conformance suite on the epoll loop, with tasks carried by the loop thread. Baton mode is the same core on
 * any backend; loop-nio runs the suites in it.
 */
@ExtendWith(NettyLeakCheck.class)
class EpollConformanceTest {
    static EventLoop epoll() {
        return new NettyEventLoop(new EpollBackend(), TaskMode.CARRIED);
    }

    // @formatter:off
    // the loop
    @Nested class Callbacks extends CallbackSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class SignalHandlers extends SignalHandlerSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Timers extends TimerSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Tasks extends TaskSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Await extends AwaitSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class BlockingCalls extends BlockingCallSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Confinement extends ConfinementSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Lifecycle extends LifecycleSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Threading extends ThreadingSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Scale extends ScaleSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class VirtualTime extends VirtualTimeSuite { @Override protected EventLoop newLoop() { return epoll(); } }

    // structured concurrency
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return epoll(); } }

    // synchronization
    @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return epoll(); } }

    // networking
    @Nested class Tls extends TlsSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class SendFile extends SendFileSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TransportEcho extends TransportEchoSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TransportHalfClose extends TransportHalfCloseSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TransportFlowControl extends TransportFlowControlSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TransportErrors extends TransportErrorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class TransportServers extends TransportServerSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class UnixTransport extends UnixTransportSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StreamReads extends StreamReadSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class LargeReads extends LargeReadSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StreamWrites extends StreamWriteSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StreamServers extends StreamServerSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StreamConnects extends StreamConnectSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class HappyEyeballs extends HappyEyeballsSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class Datagrams extends DatagramSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class LoopGroups extends LoopGroupSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    // resource exhaustion
    @Nested class ResetStorms extends ResetStormSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class FaultInjection extends FaultInjectionSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class AcceptExhaustion extends AcceptExhaustionSuite { @Override protected EventLoop newLoop() { return epoll(); } }
    @Nested class StalledReaders extends StalledReaderSuite { @Override protected EventLoop newLoop() { return epoll(); } }
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
