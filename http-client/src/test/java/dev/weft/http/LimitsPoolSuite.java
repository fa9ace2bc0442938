package dev.weft.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The total and per-host limits, reuse order, and how a full pool makes room. */
abstract class LimitsPoolSuite extends AbstractPoolSuite {

    @Test
    void totalLimitCountsIdleBusyAndConnecting() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(3));
            var a = pool.acquire(A);
            var idleB = pool.acquire(B);
            idleB.release(true);
            connector.hold = true;
            var connectingA = spawnAcquire(pool, A);
            settle();
            assertEquals(new PoolStats(1, 2, 1, 0, pool.stats().hosts()), pool.stats());
            assertHost(pool, A, 0, 2, 1, 0);
            assertHost(pool, B, 1, 0, 0, 0);

            // Full, with B's idle connection the only one that can go: A closes it to make room.
            var third = spawnAcquire(pool, A);
            settle();
            assertTrue(idleB.connection().closedByPool, "the idle connection of another origin made room");
            assertHost(pool, A, 0, 3, 2, 0);
            assertHost(pool, B, 0, 0, 0, 0);

            // Full, nothing idle: the next one waits.
            var fourth = spawnAcquire(pool, C);
            settle();
            assertFalse(fourth.isDone());
            assertHost(pool, C, 0, 0, 0, 1);
            assertEquals(3, pool.stats().total());

            connector.openNext();
            connector.openNext();
            settle();
            a.release(true); // no waiter of A: it goes idle, and C's waiter closes it to connect
            settle();
            connector.openNext();
            settle();
            assertTrue(a.connection().closedByPool);
            assertEquals(C, fourth.result().connection().origin);
            assertHost(pool, A, 0, 2, 0, 0);
            assertHost(pool, C, 0, 1, 0, 0);
            connectingA.result().release(true);
            third.result().release(false);
            fourth.result().release(true);
            assertEquals(new PoolStats(2, 0, 0, 0, pool.stats().hosts()), pool.stats());
            finish(pool);
        });
    }

    @Test
    void perHostLimitQueuesThatHostOnly() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withPerHost(2));
            var a1 = pool.acquire(A);
            var a2 = pool.acquire(A);
            var a3 = spawnAcquire(pool, A);
            settle();
            assertFalse(a3.isDone(), "a third connection to A would pass the per-host limit");
            var b = pool.acquire(B); // another host is not held up
            assertHost(pool, A, 0, 2, 0, 1);
            assertHost(pool, B, 0, 1, 0, 0);

            a1.release(true);
            settle();
            assertSame(a1.connection(), a3.result().connection(), "the released connection went to A's waiter");
            assertTrue(a3.result().reused());
            assertEquals(3, connector.attempts);
            assertHost(pool, A, 0, 2, 0, 0);
            a2.release(true);
            a3.result().release(true);
            b.release(true);
            assertHost(pool, A, 2, 0, 0, 0);
            finish(pool);
        });
    }

    @Test
    void reusesTheNewestIdleConnectionFirst() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var first = pool.acquire(A);
            var second = pool.acquire(A);
            assertFalse(first.reused());
            first.release(true);
            second.release(true);
            var again = pool.acquire(A);
            assertSame(second.connection(), again.connection(), "the most recently released is reused first");
            assertTrue(again.reused());
            assertHost(pool, A, 1, 1, 0, 0);
            again.release(true);
            assertEquals(2, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void neverMoreThanTheLimitsWhileManyTasksCompete() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(4).withPerHost(2));
            connector.hold = true;
            var tasks = new java.util.ArrayList<dev.weft.loop.Task<ConnectionPool.Lease<FakeConnection>>>();
            for (int i = 0; i < 12; i++) {
                tasks.add(spawnAcquire(pool, i % 3 == 0 ? A : i % 3 == 1 ? B : C));
            }
            settle();
            // A, B, C each want 4; the total allows 4: the first four to come (A, B, C, A) connect.
            assertEquals(new PoolStats(0, 4, 4, 8, pool.stats().hosts()), pool.stats());
            assertHost(pool, A, 0, 2, 2, 2);
            assertHost(pool, B, 0, 1, 1, 3);
            assertHost(pool, C, 0, 1, 1, 3);
            for (int served = 0; served < 12; served++) {
                while (connector.anyHeld()) {
                    connector.openNext();
                    settle();
                }
                var done = tasks.stream().filter(t -> t.isDone() && t.result() != null).findFirst().orElseThrow();
                tasks.remove(done);
                assertTrue(pool.stats().total() <= 4);
                pool.stats().hosts().values().forEach(h -> assertTrue(h.total() <= 2, pool.stats().toString()));
                done.result().release(false);
                settle();
            }
            assertEquals(12, connector.attempts);
            finish(pool);
        });
    }
}
