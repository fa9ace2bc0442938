package dev.weft.iouring;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.netty.NettyEventLoop;
import dev.weft.testkit.*;
import dev.weft.netty.NettyLeakCheck;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every conformance suite on the io_uring loop, with tasks carried by the loop thread. Baton mode is the same core on
 * any backend; loop-nio runs the suites in it.
 */
@ExtendWith(NettyLeakCheck.class)
class IoUringConformanceTest {
    static EventLoop iouring() {
        return new NettyEventLoop(new IoUringBackend(), TaskMode.CARRIED);
    }

    // @formatter:off
    // the loop
    @Nested class Callbacks extends CallbackSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Timers extends TimerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Tasks extends TaskSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Await extends AwaitSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class BlockingCalls extends BlockingCallSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Cancellation extends CancellationSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Errors extends ErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Confinement extends ConfinementSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Lifecycle extends LifecycleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Threading extends ThreadingSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Scale extends ScaleSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class VirtualTime extends VirtualTimeSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // structured concurrency
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // synchronization
    @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return iouring(); } }

    // networking
    @Nested class Tls extends TlsSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class SendFile extends SendFileSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TransportEcho extends TransportEchoSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TransportHalfClose extends TransportHalfCloseSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TransportFlowControl extends TransportFlowControlSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TransportErrors extends TransportErrorSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class TransportServers extends TransportServerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class UnixTransport extends UnixTransportSuite {
        @Override protected EventLoop newLoop() { return iouring(); }
        /** Netty 4.2.18 closes an io_uring Unix socket at the peer's EOF: ALLOW_HALF_CLOSURE needs a SocketChannelConfig. */
        @Override protected boolean unixSocketsHalfClose() { return false; }
    }
    @Nested class StreamReads extends StreamReadSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class StreamWrites extends StreamWriteSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class StreamServers extends StreamServerSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class StreamConnects extends StreamConnectSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class HappyEyeballs extends HappyEyeballsSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class Datagrams extends DatagramSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    @Nested class LoopGroups extends LoopGroupSuite { @Override protected EventLoop newLoop() { return iouring(); } }
    // @formatter:on
}
