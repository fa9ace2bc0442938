package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.ClosedResourceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Releasing, keep-alive expiry, stale connections, and closing the pool. */
abstract class LifecyclePoolSuite extends AbstractPoolSuite {

    @Test
    void releaseNotReusableClosesTheConnection() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var lease = pool.acquire(A);
            lease.release(false);
            assertTrue(lease.connection().closedByPool);
            assertTrue(pool.stats().isEmpty());
            var next = pool.acquire(A);
            assertNotSame(lease.connection(), next.connection());
            assertFalse(next.reused());
            try (next) { // close() without a release before it: not reusable
                assertHost(pool, A, 0, 1, 0, 0);
            }
            assertTrue(next.connection().closedByPool);
            finish(pool);
        });
    }

    @Test
    void releaseIsIdempotent() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var lease = pool.acquire(A);
            lease.release(true);
            lease.release(true);
            lease.release(false);
            lease.close();
            assertHost(pool, A, 1, 0, 0, 0);
            assertFalse(lease.connection().closedByPool, "only the first release counts");
            finish(pool);
        });
    }

    @Test
    void anIdleConnectionIsClosedWhenItsKeepAliveRunsOut() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withKeepAlive(Duration.ofSeconds(15)));
            var first = pool.acquire(A);
            var second = pool.acquire(B);
            first.release(true);
            Async.sleep(Duration.ofSeconds(5));
            second.release(true);
            Async.sleep(Duration.ofSeconds(10).minusMillis(1));
            assertEquals(2, pool.stats().idle());
            Async.sleep(Duration.ofMillis(1)); // 15 s after the first release
            assertTrue(first.connection().closedByPool);
            assertHost(pool, A, 0, 0, 0, 0);
            assertHost(pool, B, 1, 0, 0, 0);
            Async.sleep(Duration.ofSeconds(5)); // 15 s after the second
            assertTrue(second.connection().closedByPool);
            assertTrue(pool.stats().isEmpty());
            assertTrue(pool.stats().hosts().isEmpty(), "an origin with nothing left is forgotten");
            finish(pool);
        });
    }

    @Test
    void reuseRestartsNothingButTheIdleTime() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withKeepAlive(Duration.ofSeconds(15)));
            var lease = pool.acquire(A);
            lease.release(true);
            Async.sleep(Duration.ofSeconds(10));
            var again = pool.acquire(A);
            assertSame(lease.connection(), again.connection());
            Async.sleep(Duration.ofSeconds(10)); // leased: no expiry
            again.release(true);
            Async.sleep(Duration.ofSeconds(14));
            assertHost(pool, A, 1, 0, 0, 0);
            Async.sleep(Duration.ofSeconds(1));
            assertTrue(pool.stats().isEmpty());
            assertEquals(1, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void keepAliveZeroKeepsNothing() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withKeepAlive(Duration.ZERO));
            var lease = pool.acquire(A);
            lease.release(true);
            assertTrue(lease.connection().closedByPool);
            assertTrue(pool.stats().isEmpty());
            finish(pool);
        });
    }

    @Test
    void aStaleIdleConnectionIsDroppedOnAcquire() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var older = pool.acquire(A);
            var newer = pool.acquire(A);
            older.release(true);
            newer.release(true);
            newer.connection().closedByPeer = true; // the server closed it while idle
            var lease = pool.acquire(A);
            assertSame(older.connection(), lease.connection(), "the stale one was skipped");
            assertTrue(newer.connection().closedByPool, "and closed");
            assertHost(pool, A, 0, 1, 0, 0);
            older.connection().closedByPeer = true;
            lease.release(true); // closed meanwhile: not kept
            assertTrue(pool.stats().isEmpty());
            var fresh = pool.acquire(A);
            assertFalse(fresh.reused());
            fresh.release(true);
            assertEquals(3, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void aStaleConnectionHandedToAWaiterIsReplaced() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var waiter = spawnAcquire(pool, A);
            settle();
            held.release(true);
            held.connection().closedByPeer = true; // closed before the waiter ran
            settle();
            assertNotSame(held.connection(), waiter.result().connection());
            assertFalse(waiter.result().reused());
            assertHost(pool, A, 0, 1, 0, 0);
            waiter.result().release(true);
            finish(pool);
        });
    }

    @Test
    void closeClosesIdleAndLeasedConnectionsAndFailsLaterAcquires() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var idle = pool.acquire(A);
            var leased = pool.acquire(B);
            idle.release(true);
            pool.close();
            pool.close();
            assertTrue(idle.connection().closedByPool);
            assertTrue(leased.connection().closedByPool, "a lease never released is closed too");
            assertTrue(pool.stats().isEmpty());
            leased.release(true);
            assertEquals(1, leased.connection().closes);
            var e = assertThrows(ClosedResourceException.class, () -> pool.acquire(A));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            finish(pool);
        });
    }

    @Test
    void aConnectThatEndsAfterCloseIsClosed() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            connector.hold = true;
            var connecting = spawnAcquire(pool, A);
            settle();
            pool.close();
            assertHost(pool, A, 0, 1, 1, 0);
            connector.openNext();
            assertInstanceOf(ClosedResourceException.class, failure(connecting));
            assertTrue(connector.made.getFirst().closedByPool);
            assertTrue(pool.stats().isEmpty());
            finish(pool);
        });
    }

    @Test
    void grantsToWaitersWhoseTasksHaveNotRunAreTakenBackByClose() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(2));
            var held1 = pool.acquire(A);
            var held2 = pool.acquire(A);
            var forConnection = spawnAcquire(pool, A);
            var forSlot = spawnAcquire(pool, B);
            settle();
            held1.release(true);  // handed to the A waiter, whose task has not run yet
            held2.release(false); // its slot to the B waiter, likewise
            assertHost(pool, A, 0, 1, 0, 0);
            assertHost(pool, B, 0, 1, 1, 0);
            pool.close();
            assertHost(pool, B, 0, 1, 1, 0); // the slot is the B task's to give back when it runs
            assertInstanceOf(ClosedResourceException.class, failure(forConnection));
            assertInstanceOf(ClosedResourceException.class, failure(forSlot));
            assertTrue(pool.stats().isEmpty());
            assertEquals(2, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void thePoolIsConfinedToItsLoop() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            var lease = pool.acquire(A);
            CompletableFuture<Object> elsewhere = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.stats();
                } catch (RuntimeException e) {
                    return e;
                }
            });
            Object outcome = Async.await(elsewhere);
            assertInstanceOf(WrongThreadException.class, outcome);
            lease.release(true);
            finish(pool);
        });
    }
}
