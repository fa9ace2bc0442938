package dev.weft.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;

/** The synchronization and queue suites on the nio loop, with tasks carried by the loop thread (the fast path). */
class NioSyncConformanceTest {
    static EventLoop nio() {
        return new NioEventLoop(TaskMode.CARRIED);
    }

    // @formatter:off
    @Nested class Locks extends LockSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Events extends EventSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Conditions extends ConditionSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Semaphores extends SemaphoreSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Barriers extends BarrierSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Queues extends QueueSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class QueueShutdown extends QueueShutdownSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class SyncConfinement extends SyncConfinementSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // @formatter:on
}
