package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.VoidBody;
import dev.weft.testkit.VirtualClock;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the pool suites share: a real loop of the backend ({@link #backend()}) with a virtual clock, so waits and
 * keep-alive expiry take no real time, and in-memory connections. In-memory, because these tests need exact control
 * the network cannot give: when a connect finishes or fails, when a server "closes" an idle connection, how many
 * connections were made. {@link RealSocketsPoolSuite} checks the same pool with real sockets.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class AbstractPoolSuite {
    static final Origin A = new Origin("http", "a.test", 80);
    static final Origin B = new Origin("http", "b.test", 80);
    static final Origin C = new Origin("https", "c.test", 443);
    static final PoolLimits LIMITS = PoolLimits.DEFAULTS;

    VirtualClock clock;
    FakeConnector connector;

    /** The backend, by name: each nested class of {@link PoolTest} names one. */
    abstract String backend();

    /** Whether the loop runs on virtual time: not where real sockets race the pool's timers. */
    boolean virtualTime() {
        return true;
    }

    /** Run the body as the main task of a new loop of the backend, on virtual time unless said otherwise. */
    void run(VoidBody<Exception> body) throws Exception {
        Loops.run(() -> {
            EventLoop loop = TestLoops.named(backend()).get();
            if (virtualTime()) {
                clock = VirtualClock.install(loop);
            }
            return loop;
        }, body);
    }

    ConnectionPool<FakeConnection> pool(PoolLimits limits) {
        connector = new FakeConnector();
        return new ConnectionPool<>(Async.loop(), limits, connector);
    }

    static Task<ConnectionPool.Lease<FakeConnection>> spawnAcquire(ConnectionPool<FakeConnection> pool, Origin o) {
        return Tasks.spawn(() -> pool.acquire(o));
    }

    /** Let the loop run a few turns, so tasks spawned or woken get as far as they can without time passing. */
    static void settle() {
        EventLoop loop = Async.loop();
        for (int i = 0; i < 20; i++) {
            Future<Void> turn = loop.createFuture();
            loop.callSoon(() -> turn.setResult(null));
            turn.await();
        }
    }

    static void assertHost(ConnectionPool<?> pool, Origin origin, int idle, int busy, int connecting, int waiting) {
        assertEquals(new PoolStats.HostStats(idle, busy, connecting, waiting), pool.stats().host(origin),
                "stats of " + origin + ": " + pool.stats());
    }

    /** The failure the task ended with, once it ended. */
    static Throwable failure(Task<?> task) {
        settle();
        assertTrue(task.isDone(), task + " should have ended");
        try {
            task.result();
            throw new AssertionError(task + " should have failed, but returned " + task.result());
        } catch (java.util.concurrent.CompletionException wrapped) {
            return wrapped.getCause();
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * What every test ends with: the pool closed and empty, every connection it made closed, and no task left but
     * the test's own.
     */
    void finish(ConnectionPool<FakeConnection> pool) {
        closeAndCheckEmpty(pool);
        assertNoTaskLeft();
        for (FakeConnection c : connector.made) {
            assertTrue(c.closedByPool, c + " was never closed");
        }
        assertTrue(connector.pending.isEmpty(), "connects still held: " + connector.pending);
    }

    static void closeAndCheckEmpty(ConnectionPool<?> pool) {
        settle();
        pool.close();
        assertTrue(pool.stats().isEmpty(), "the closed pool holds " + pool.stats());
        assertTrue(pool.stats().hosts().isEmpty(), "the closed pool lists " + pool.stats().hosts());
    }

    static void assertNoTaskLeft() {
        assertEquals(Set.of(Task.currentOrNull()), Async.loop().allTasks(), "tasks left over");
    }

    /** An in-memory connection: open until the pool closes it or the test plays a server that closed it. */
    static final class FakeConnection implements PooledConnection {
        final Origin origin;
        final int number;
        boolean closedByPool;
        boolean closedByPeer;
        int closes;

        FakeConnection(Origin origin, int number) {
            this.origin = origin;
            this.number = number;
        }

        @Override
        public boolean isOpen() {
            return !closedByPool && !closedByPeer;
        }

        @Override
        public void close() {
            closedByPool = true;
            closes++;
        }

        @Override
        public String toString() {
            return "#" + number + "(" + origin + (isOpen() ? "" : ", closed") + ")";
        }
    }

    /** Makes in-memory connections; with {@link #hold} set, each connect waits until the test opens or fails it. */
    static final class FakeConnector implements ConnectionPool.Connector<FakeConnection> {
        final List<FakeConnection> made = new ArrayList<>();
        final Deque<Future<Void>> pending = new ArrayDeque<>();
        boolean hold;
        int attempts;
        /** Runs first in every connect: it may wait, or throw to fail the connect. */
        ConnectStep before = origin -> {
        };

        @FunctionalInterface
        interface ConnectStep {
            void run(Origin origin) throws IOException;
        }

        @Override
        public FakeConnection connect(Route route) throws IOException {
            Origin origin = route.origin();
            attempts++;
            before.run(origin);
            if (hold) {
                Future<Void> gate = Async.loop().createFuture();
                pending.add(gate);
                try {
                    gate.awaitChecked(IOException.class);
                } finally {
                    pending.remove(gate);
                }
            }
            FakeConnection c = new FakeConnection(origin, made.size() + 1);
            made.add(c);
            return c;
        }

        /** Let the oldest held connect succeed. */
        void openNext() {
            nextHeld().setResult(null);
        }

        /** Make the oldest held connect fail. */
        void failNext(IOException e) {
            nextHeld().setException(e);
        }

        /** The oldest connect still held (one let go stays listed until its task runs). */
        private Future<Void> nextHeld() {
            return pending.stream().filter(f -> !f.isDone()).findFirst()
                    .orElseThrow(() -> new AssertionError("no connect is held"));
        }

        boolean anyHeld() {
            return pending.stream().anyMatch(f -> !f.isDone());
        }

        long open() {
            return made.stream().filter(FakeConnection::isOpen).count();
        }
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
