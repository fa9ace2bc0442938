package dev.weft.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.TaskMode;
import dev.weft.testkit.*;
import org.junit.jupiter.api.Nested;

/** The structured-concurrency suites on the nio loop in the fallback task mode (tasks pass a baton with the loop). */
class NioBatonScopeConformanceTest {
    static EventLoop nio() {
        return new NioEventLoop(TaskMode.BATON);
    }

    // @formatter:off
    @Nested class TaskGroups extends TaskGroupSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TaskGroupRuns extends TaskGroupRunSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Timeouts extends TimeoutSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Shields extends ShieldSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class Futures extends FuturesSuite { @Override protected EventLoop newLoop() { return nio(); } }
    @Nested class TaskContexts extends TaskContextSuite { @Override protected EventLoop newLoop() { return nio(); } }
    // @formatter:on
}
