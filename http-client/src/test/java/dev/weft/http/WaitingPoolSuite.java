package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wait queue: order, its timeout, its bound, and cancellation at every point of a wait and a connect. */
abstract class WaitingPoolSuite extends AbstractPoolSuite {

    @Test
    void waitersOfAnOriginAreServedFirstComeFirstServed() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withPerHost(1));
            var held = pool.acquire(A);
            List<Integer> served = new ArrayList<>();
            List<Task<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                waiters.add(Tasks.spawn(() -> {
                    var lease = pool.acquire(A);
                    served.add(n);
                    Async.sleep(Duration.ofMillis(10));
                    lease.release(true);
                }));
                settle(); // each queues before the next is spawned
            }
            assertHost(pool, A, 0, 1, 0, 5);
            held.release(true);
            for (Task<Void> w : waiters) {
                w.await();
            }
            assertEquals(List.of(0, 1, 2, 3, 4), served);
            assertEquals(1, connector.attempts, "one connection, handed from each waiter to the next");
            finish(pool);
        });
    }

    @Test
    void aFreedSlotGoesToTheOldestWaiterOfAnyOrigin() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            List<String> served = new ArrayList<>();
            List<Task<Void>> waiters = new ArrayList<>();
            for (Origin o : List.of(B, C, B, C, A)) {
                waiters.add(Tasks.spawn(() -> {
                    var lease = pool.acquire(o);
                    served.add(o.host());
                    Async.sleep(Duration.ofMillis(10));
                    lease.release(false); // not reusable: only the slot passes on
                }));
                settle();
            }
            assertEquals(5, pool.stats().waiting());
            held.release(false);
            for (Task<Void> w : waiters) {
                w.await();
            }
            assertEquals(List.of("b.test", "c.test", "b.test", "c.test", "a.test"), served);
            finish(pool);
        });
    }

    @Test
    void aReleasedConnectionGoesToItsOwnOriginBeforeOlderWaitersOfOthers() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var b = spawnAcquire(pool, B);
            settle();
            var a = spawnAcquire(pool, A);
            settle();
            held.release(true);
            settle();
            assertSame(held.connection(), a.result().connection());
            assertFalse(b.isDone(), "B waits on: the connection was A's to reuse");
            a.result().release(true); // now nobody waits for A: the idle one is closed to make room for B
            settle();
            assertTrue(held.connection().closedByPool);
            assertEquals(B, b.result().connection().origin);
            b.result().release(true);
            finish(pool);
        });
    }

    @Test
    void theWaitTimesOutWithItsOwnTypedError() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1).withWaitTimeout(Duration.ofSeconds(2)));
            var held = pool.acquire(A);
            var waiter = spawnAcquire(pool, B);
            settle();
            assertHost(pool, B, 0, 0, 0, 1);
            Duration before = clock.elapsed();
            var e = assertInstanceOf(HttpTimeoutException.class, failure(awaitEnd(waiter)));
            assertEquals(Duration.ofSeconds(2), clock.elapsed().minus(before));
            assertEquals(HttpTimeoutException.Kind.POOL_WAIT, e.kind());
            assertEquals(Duration.ofSeconds(2), e.limit());
            assertTrue(e.getMessage().contains("http://b.test:80") && e.getMessage().contains("2 s")
                    && e.getMessage().contains("1 connection in all"), e.getMessage());
            assertHost(pool, B, 0, 0, 0, 0);
            held.release(true); // nobody to hand it to: it goes idle
            assertHost(pool, A, 1, 0, 0, 0);
            finish(pool);
        });
    }

    @Test
    void aWaitTimeoutBeyondAHundredYearsWaitsWithoutBound() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1).withWaitTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration()));
            var held = pool.acquire(A);
            var waiter = spawnAcquire(pool, A);
            Async.sleep(Duration.ofDays(365 * 200));
            assertHost(pool, A, 0, 1, 0, 1);
            held.release(true);
            settle();
            assertSame(held.connection(), waiter.result().connection());
            waiter.result().release(true);
            finish(pool);
        });
    }

    @Test
    void maxWaitingZeroNeverWaits() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1).withMaxWaiting(0));
            var held = pool.acquire(A);
            assertThrows(PoolFullException.class, () -> pool.acquire(A));
            assertHost(pool, A, 0, 1, 0, 0);
            held.release(true);
            finish(pool);
        });
    }

    @Test
    void aFullQueueFailsAtOnceNamingTheOriginAndLimits() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1).withMaxWaiting(2));
            var held = pool.acquire(A);
            var w1 = spawnAcquire(pool, A);
            var w2 = spawnAcquire(pool, B);
            settle();
            var e = assertThrows(PoolFullException.class, () -> pool.acquire(C));
            assertEquals(C, e.origin());
            assertTrue(e.getMessage().contains("https://c.test:443") && e.getMessage().contains("2 tasks")
                    && e.getMessage().contains("maxWaiting"), e.getMessage());
            assertEquals(2, pool.stats().waiting());
            assertHost(pool, C, 0, 0, 0, 0);

            w1.cancel(); // a cancelled waiter no longer counts against the bound, even before its task runs
            assertEquals(1, pool.stats().waiting());
            var w3 = spawnAcquire(pool, C);
            settle();
            assertInstanceOf(CancellationException.class, failure(w1));
            assertEquals(2, pool.stats().waiting());
            held.release(false);
            settle();
            assertEquals(B, w2.result().connection().origin);
            w2.result().release(false);
            settle();
            w3.result().release(true);
            finish(pool);
        });
    }

    @Test
    void aWaiterCancelledWhileWaitingLeavesTheQueueHoldingNothing() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var waiter = spawnAcquire(pool, A);
            settle();
            waiter.cancel();
            assertEquals(0, pool.stats().waiting());
            assertInstanceOf(CancellationException.class, failure(waiter));
            held.release(true);
            assertHost(pool, A, 1, 0, 0, 0); // idle, not handed to the cancelled waiter
            finish(pool);
        });
    }

    /** aio-libs/aiohttp#9670: a waiter woken and cancelled at the same moment must pass what it was given on. */
    @Test
    void aWaiterCancelledAsItIsHandedAConnectionPassesItOn() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var first = spawnAcquire(pool, A);
            var second = spawnAcquire(pool, A);
            settle();
            held.release(true); // handed to the first waiter, whose task has not run yet...
            first.cancel();     // ...and is cancelled before it does
            assertHost(pool, A, 0, 1, 0, 1);
            assertInstanceOf(CancellationException.class, failure(first));
            assertSame(held.connection(), second.result().connection(), "the second waiter got it");
            assertHost(pool, A, 0, 1, 0, 0);
            second.result().release(true);
            assertEquals(1, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void aWaiterCancelledAsItIsHandedASlotPassesItOn() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var first = spawnAcquire(pool, B);
            var second = spawnAcquire(pool, C);
            settle();
            held.release(false); // its slot goes to the first waiter...
            first.cancel();      // ...cancelled before it runs: the slot goes on to the second
            assertInstanceOf(CancellationException.class, failure(first));
            assertEquals(C, second.result().connection().origin);
            assertEquals(new PoolStats(0, 1, 0, 0, pool.stats().hosts()), pool.stats());
            second.result().release(true);
            finish(pool);
        });
    }

    @Test
    void aConnectCancelledFreesItsSlotForTheNextWaiter() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            connector.hold = true;
            var connecting = spawnAcquire(pool, A);
            var waiter = spawnAcquire(pool, B);
            settle();
            assertHost(pool, A, 0, 1, 1, 0);
            assertHost(pool, B, 0, 0, 0, 1);
            connecting.cancel();
            assertInstanceOf(CancellationException.class, failure(connecting));
            assertHost(pool, A, 0, 0, 0, 0);
            assertHost(pool, B, 0, 1, 1, 0); // the slot went to the waiter, which connects now
            connector.openNext();
            settle();
            waiter.result().release(true);
            assertTrue(connector.made.stream().allMatch(c -> c.origin.equals(B)), "A's connect made nothing");
            finish(pool);
        });
    }

    @Test
    void aConnectThatFailsFreesItsSlotForTheNextWaiter() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            connector.hold = true;
            var failing = spawnAcquire(pool, A);
            var waiter = spawnAcquire(pool, A);
            settle();
            connector.failNext(new ConnectException("connection refused by a.test:80"));
            var e = failure(failing);
            assertInstanceOf(ConnectException.class, e);
            assertHost(pool, A, 0, 1, 1, 0);
            connector.openNext();
            settle();
            assertFalse(waiter.result().reused());
            waiter.result().release(true);
            assertEquals(2, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void anAcquireInACancelledTaskThrowsAtOnce() throws Exception {
        run(() -> {
            var pool = pool(LIMITS);
            Task<Object> task = Tasks.spawn(() -> {
                Tasks.current().orElseThrow().cancel();
                try {
                    return pool.acquire(A);
                } catch (CancellationException e) {
                    return e;
                }
            });
            assertInstanceOf(CancellationException.class, awaitEnd(task).result());
            assertEquals(0, connector.attempts);
            finish(pool);
        });
    }

    @Test
    void closingThePoolFailsItsWaiters() throws Exception {
        run(() -> {
            var pool = pool(LIMITS.withTotal(1));
            var held = pool.acquire(A);
            var waiter = spawnAcquire(pool, B);
            settle();
            pool.close();
            var e = failure(waiter);
            assertInstanceOf(dev.weft.loop.ClosedResourceException.class, e);
            assertTrue(e.getMessage().contains("http://b.test:80"), e.getMessage());
            assertTrue(held.connection().closedByPool);
            held.release(true); // does nothing now
            assertThrows(dev.weft.loop.ClosedResourceException.class, () -> pool.acquire(A));
            finish(pool);
        });
    }

    /** Wait for the task to end, however it ends. */
    static <T> Task<T> awaitEnd(Task<T> task) {
        try {
            task.await();
        } catch (RuntimeException e) {
            // its outcome is read by the caller
        }
        return task;
    }
}
