package dev.weft.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;

/** The conformance suites on the nio loop in the fallback task mode, where tasks pass a baton with the loop thread. */
class NioBatonConformanceTest {
    static EventLoop nio() {
        return new NioEventLoop(TaskMode.BATON);
    }

    // @formatter:off
    // the loop
    @Nested class Callbacks extends CallbackSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class SignalHandlers extends SignalHandlerSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Timers extends TimerSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Tasks extends TaskSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Await extends AwaitSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class BlockingCalls extends BlockingCallSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Confinement extends ConfinementSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Lifecycle extends LifecycleSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Threading extends ThreadingSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Scale extends ScaleSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class VirtualTime extends VirtualTimeSuite { @Override protected EventLoop newLoop() { return nio(); } }

    // structured concurrency
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class ExceptionRule extends ExceptionRuleSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class LevelCancellation extends LevelCancellationSuite { @Override protected EventLoop newLoop() { return nio(); } }

    // synchronization
    @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return nio(); } }

    // networking
    @Nested class Tls extends TlsSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class SendFile extends SendFileSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TransportEcho extends TransportEchoSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TransportHalfClose extends TransportHalfCloseSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TransportFlowControl extends TransportFlowControlSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TransportErrors extends TransportErrorSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TransportServers extends TransportServerSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class UnixTransport extends UnixTransportSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StreamReads extends StreamReadSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class IoErrors extends IoErrorSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class LargeReads extends LargeReadSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StreamWrites extends StreamWriteSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StreamServers extends StreamServerSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StreamConnects extends StreamConnectSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class HappyEyeballs extends HappyEyeballsSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Datagrams extends DatagramSuite { @Override protected EventLoop newLoop() { return nio(); } }

    // loop groups
    @Nested class LoopGroups extends LoopGroupSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // resource exhaustion
    @Nested class ResetStorms extends ResetStormSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class FaultInjection extends FaultInjectionSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class AcceptExhaustion extends AcceptExhaustionSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StalledReaders extends StalledReaderSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // async streams (issue 15)
    @Nested class AsyncStreams extends AsyncStreamSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class FlowInterop extends FlowInteropSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class StreamCleanUp extends StreamCleanUpSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // channels and select (issue 15)
    @Nested class Channels extends ChannelSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Selects extends SelectSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // supervisors, links and monitors (issue 15)
    @Nested class Supervisors extends SupervisorSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class MonitorsAndLinks extends MonitorLinkSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // task dumps (issue 17)
    @Nested class TaskDumps extends TaskDumpSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // loop health: stats and the lag probe (issue 17)
    @Nested class LoopHealth extends LoopStatsSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // debug mode (issue 17)
    @Nested class Debug extends DebugSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // lending reads (issue 16)
    @Nested class LendingReads extends LendingReadSuite {
        @Override protected EventLoop newLoop() { return nio(); }
        @Override protected boolean keepsDeliveredBuffers() { return true; }
    }
    // @formatter:on
}
