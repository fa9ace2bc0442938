package dev.weft.vthreads;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;

/**
 * Every conformance suite on the virtual-thread loop with baton tasks, the fallback without {@code --add-opens}: the
 * same list as {@link VirtualThreadsConformanceTest}, as nio runs both modes. Tests that need carried tasks skip here,
 * as the one baton-only test skips there. (Written out twice, not inherited: nested suites declared in a shared
 * superclass are reported under its name, and the two runs' reports would overwrite each other.)
 */
class VirtualThreadsBatonConformanceTest {
    static EventLoop vthreads() {
        return new VirtualThreadEventLoop(TaskMode.BATON);
    }

    // @formatter:off
    // the loop
    @Nested class Callbacks extends CallbackSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class SignalHandlers extends SignalHandlerSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Timers extends TimerSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Tasks extends TaskSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Await extends AwaitSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class BlockingCalls extends BlockingCallSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Confinement extends ConfinementSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Lifecycle extends LifecycleSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Threading extends ThreadingSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Scale extends ScaleSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class VirtualTime extends VirtualTimeSuite { @Override protected EventLoop newLoop() { return vthreads(); } }

    // structured concurrency
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return vthreads(); } }

    // synchronization
    @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return vthreads(); } }

    // networking
    @Nested class Tls extends TlsSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class SendFile extends SendFileSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TransportEcho extends TransportEchoSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TransportHalfClose extends TransportHalfCloseSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TransportFlowControl extends TransportFlowControlSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TransportErrors extends TransportErrorSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class TransportServers extends TransportServerSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class UnixTransport extends UnixTransportSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StreamReads extends StreamReadSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class LargeReads extends LargeReadSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StreamWrites extends StreamWriteSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StreamServers extends StreamServerSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StreamConnects extends StreamConnectSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class HappyEyeballs extends HappyEyeballsSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Datagrams extends DatagramSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class LoopGroups extends LoopGroupSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // resource exhaustion
    @Nested class ResetStorms extends ResetStormSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class FaultInjection extends FaultInjectionSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class AcceptExhaustion extends AcceptExhaustionSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StalledReaders extends StalledReaderSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // async streams (issue 15)
    @Nested class AsyncStreams extends AsyncStreamSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class FlowInterop extends FlowInteropSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class StreamCleanUp extends StreamCleanUpSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // channels and select (issue 15)
    @Nested class Channels extends ChannelSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class Selects extends SelectSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // supervisors, links and monitors (issue 15)
    @Nested class Supervisors extends SupervisorSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    @Nested class MonitorsAndLinks extends MonitorLinkSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // task dumps (issue 17)
    @Nested class TaskDumps extends TaskDumpSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // loop health: stats and the lag probe (issue 17)
    @Nested class LoopHealth extends LoopStatsSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // debug mode (issue 17)
    @Nested class Debug extends DebugSuite { @Override protected EventLoop newLoop() { return vthreads(); } }
    // lending reads (issue 16)
    @Nested class LendingReads extends LendingReadSuite { @Override protected EventLoop newLoop() { return vthreads(); } @Override protected boolean keepsDeliveredBuffers() { return true; } }
    // @formatter:on
}
