package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of acquires, releases and cancellations in random interleavings, with connects that are slow, fail or are
 * cancelled, and connections the "server" closes while idle: the limits hold at every step, the pool never wedges,
 * and it ends empty. Virtual time makes a run take well under a second; the seed is in every failure message.
 */
abstract class StressPoolSuite extends AbstractPoolSuite {
    static final int WORKERS = 40;
    static final int OPERATIONS_PER_WORKER = 100;

    @Test
    void randomInterleavingsKeepTheLimitsAndLeaveNothingBehind() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            stress(seed);
        }
    }

    private void stress(long seed) throws Exception {
        run(() -> {
            Random random = new Random(seed);
            PoolLimits limits = LIMITS.withTotal(6).withPerHost(3).withMaxWaiting(30)
                    .withWaitTimeout(Duration.ofMillis(40)).withKeepAlive(Duration.ofMillis(30));
            var pool = pool(limits);
            connector.before = origin -> {
                Async.sleep(Duration.ofMillis(random.nextInt(5)));
                if (random.nextInt(10) == 0) {
                    throw new ConnectException("connection refused by " + origin);
                }
            };
            Map<String, Integer> outcomes = new TreeMap<>();
            List<Task<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(Tasks.spawn(() -> {
                    for (int i = 0; i < OPERATIONS_PER_WORKER; i++) {
                        Origin origin = List.of(A, B, C).get(random.nextInt(3));
                        Task<String> op = Tasks.spawn(() -> oneRequest(pool, origin, random, seed));
                        if (random.nextInt(8) == 0) {
                            Async.sleep(Duration.ofMillis(random.nextInt(10)));
                            op.cancel();
                        }
                        String outcome;
                        try {
                            outcome = op.await();
                        } catch (CancellationException e) {
                            outcome = "cancelled";
                        }
                        outcomes.merge(outcome, 1, Integer::sum);
                        checkInvariants(pool, limits, seed);
                        Async.sleep(Duration.ofMillis(random.nextInt(3)));
                    }
                }));
            }
            for (Task<Void> w : workers) {
                w.await();
            }
            String summary = "seed " + seed + ": " + outcomes + ", " + connector.attempts + " connects";
            assertEquals(WORKERS * OPERATIONS_PER_WORKER, outcomes.values().stream().mapToInt(i -> i).sum(), summary);
            assertTrue(outcomes.getOrDefault("reused", 0) > 0 && outcomes.getOrDefault("new", 0) > 0
                    && outcomes.getOrDefault("cancelled", 0) > 0 && outcomes.getOrDefault("timeout", 0) > 0
                    && outcomes.getOrDefault("refused", 0) > 0 && outcomes.getOrDefault("full", 0) > 0,
                    "every path was taken: " + summary);
            var stats = pool.stats();
            assertEquals(0, stats.busy(), summary + "; " + stats);
            assertEquals(0, stats.waiting(), summary + "; " + stats);
            // Not wedged: with everything back, the next acquire is served at once.
            connector.before = origin -> {
            };
            pool.acquire(A).release(true);
            System.out.println("[" + backend() + "] pool stress " + summary);
            finish(pool);
        });
    }

    /** One request: acquire, use the connection a while, release it as it ended. */
    private static String oneRequest(ConnectionPool<FakeConnection> pool, Origin origin, Random random, long seed)
            throws IOException {
        ConnectionPool.Lease<FakeConnection> lease;
        try {
            lease = pool.acquire(origin);
        } catch (HttpTimeoutException e) {
            return "timeout";
        } catch (PoolFullException e) {
            return "full";
        } catch (ConnectException e) {
            return "refused";
        }
        try (lease) { // cancelled mid-request: close() releases it as not reusable
            assertTrue(lease.connection().isOpen() || lease.connection().closedByPeer, "seed " + seed);
            assertFalse(lease.connection().closedByPool, "seed " + seed + ": handed a closed connection");
            assertEquals(origin, lease.connection().origin, "seed " + seed);
            Async.sleep(Duration.ofMillis(random.nextInt(15)));
            boolean reusable = random.nextInt(5) != 0;
            lease.release(reusable);
            if (reusable && random.nextInt(10) == 0) {
                lease.connection().closedByPeer = true; // the server closes it while it is idle
            }
            return lease.reused() ? "reused" : "new";
        }
    }

    private void checkInvariants(ConnectionPool<FakeConnection> pool, PoolLimits limits, long seed) {
        PoolStats stats = pool.stats();
        String where = "seed " + seed + ": " + stats;
        assertTrue(stats.total() <= limits.total(), where);
        assertTrue(stats.waiting() <= limits.maxWaiting(), where);
        for (PoolStats.HostStats host : stats.hosts().values()) {
            assertTrue(host.total() <= limits.perHost(), where);
        }
        long notClosed = connector.made.stream().filter(c -> !c.closedByPool).count();
        assertEquals(stats.idle() + stats.busy() - stats.connecting(), notClosed,
                where + ": every connection made and not closed is idle or leased");
        assertTrue(connector.made.stream().allMatch(c -> c.closes <= 1), "closed twice: " + where);
    }
}
