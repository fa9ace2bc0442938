package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Task;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** What {@link ChannelSuite} and {@link SelectSuite} share: waiting with patience, and checking no task is left. */
final class ChannelTests {
    private ChannelTests() {
    }

    /** The value of a future another thread completes, or a failure if that takes longer than the patience. */
    static <T> T within(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(LoopSuite.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("not done within " + LoopSuite.PATIENCE + ": " + future);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Inside a task: no task of the test is alive but the calling one. */
    static void assertOnlyThisTaskLeft(EventLoop loop) {
        assertEquals(Set.of(Task.currentOrNull()), loop.allTasks(), "tasks left alive on " + loop);
    }

    /** Every loop of the group has no task left, asked by a task of its own. */
    static void assertNoTaskLeft(LoopGroup group) throws Exception {
        for (EventLoop each : group.loops()) {
            within(each.submit(() -> {
                assertOnlyThisTaskLeft(each);
                return null;
            }));
        }
    }
}
