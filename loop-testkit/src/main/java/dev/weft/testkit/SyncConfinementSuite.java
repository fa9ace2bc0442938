package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.Barrier;
import dev.weft.sync.Condition;
import dev.weft.sync.Event;
import dev.weft.sync.Lock;
import dev.weft.sync.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every primitive of dev.weft.sync belongs to the loop it is first used on: another loop gets InvalidStateException
 * naming both, a foreign thread WrongThreadException while the loop runs, and a call that would have to wait outside a
 * task fails at once (BlockingOnLoopException on the loop thread) and leaves no waiter behind.
 */
public abstract class SyncConfinementSuite extends LoopSuite {
    private final Lock lock = new Lock();
    private final Event event = new Event();
    private final Condition condition = new Condition();
    private final Semaphore semaphore = new Semaphore(0);
    private final Barrier barrier = new Barrier(2);
    private final AsyncQueue<String> queue = AsyncQueue.fifo(1);

    /** A call of each primitive that never waits. */
    private Map<String, Executable> nonWaitingCalls() {
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("Lock.isLocked", lock::isLocked);
        calls.put("Event.isSet", event::isSet);
        calls.put("Condition.signalAll", condition::signalAll);
        calls.put("Semaphore.tryAcquire", semaphore::tryAcquire);
        calls.put("Barrier.isBroken", barrier::isBroken);
        calls.put("AsyncQueue.size", queue::size);
        return calls;
    }

    /** Each named call, run here, and what it threw (null: nothing). */
    private static Map<String, Throwable> attempt(Map<String, Executable> calls) {
        Map<String, Throwable> thrown = new LinkedHashMap<>();
        calls.forEach((name, call) -> {
            try {
                call.execute();
                thrown.put(name, null);
            } catch (Throwable t) {
                thrown.put(name, t);
            }
        });
        return thrown;
    }

    /** Bind every primitive to the test's loop by using it there. */
    private void bindAll() {
        lock.isLocked();
        event.isSet();
        condition.lock().isLocked();
        semaphore.availablePermits();
        barrier.waiting();
        queue.size();
    }

    private static String id(EventLoop loop) {
        return "@" + Integer.toHexString(System.identityHashCode(loop));
    }

    @Test
    void aPrimitiveUsedFromAnotherLoopThrowsInvalidStateNamingBothLoops() {
        EventLoop other = openLoop();
        Map<String, Throwable> thrown = run(() -> {
            bindAll();
            return Async.await(onForeignThread(() -> {
                List<Map<String, Throwable>> result = new ArrayList<>();
                try {
                    onLoop(other, () -> result.add(attempt(nonWaitingCalls())));
                } finally {
                    other.close(); // where it ran: an io_uring loop may only be closed there
                }
                return result.getFirst();
            }).result());
        });
        thrown.forEach((name, t) -> {
            assertInstanceOf(InvalidStateException.class, t, name);
            assertTrue(t.getMessage().contains(id(loop)) && t.getMessage().contains(id(other)),
                    name + ": " + t.getMessage());
        });
    }

    @Test
    void aPrimitiveUsedFromAForeignThreadWhileItsLoopRunsThrowsWrongThread() {
        Map<String, Throwable> thrown = run(() -> {
            bindAll();
            return Async.await(onForeignThread(() -> attempt(nonWaitingCalls())).result());
        });
        thrown.forEach((name, t) -> assertInstanceOf(WrongThreadException.class, t, name));
    }

    /** Outside a task on the loop thread, a call that would wait fails as await does there, and leaves no waiter. */
    @Test
    void aCallThatWouldWaitInALoopCallbackThrowsBlockingOnLoopAndLeavesNoWaiter() {
        onLoop(() -> {
            assertTrue(lock.tryAcquire(), "a free lock can be taken in a callback");
            assertTrue(condition.lock().tryAcquire());
            queue.putNow("full");
            AsyncQueue<String> empty = AsyncQueue.fifo(0);
            Map<String, Executable> waits = new LinkedHashMap<>();
            waits.put("Event.await", event::await);
            waits.put("Condition.await", condition::await);
            waits.put("Semaphore.acquire", semaphore::acquire);
            waits.put("Barrier.await", barrier::await);
            waits.put("AsyncQueue.put", () -> queue.put("more"));
            waits.put("AsyncQueue.get", empty::get);
            waits.put("AsyncQueue.join", queue::join);
            attempt(waits).forEach((name, t) -> assertInstanceOf(BlockingOnLoopException.class, t, name));
            assertTrue(condition.lock().isHeldByCurrentTask(), "Condition.await released the lock and then failed");
            semaphore.release();
            assertEquals(1, semaphore.availablePermits(), "the failed acquire left a waiter that took the permit");
            assertEquals(0, barrier.waiting(), "the failed await counted as an arrival");
            assertEquals(1, queue.size());
            empty.putNow("x");
            assertEquals("x", empty.getNow(), "the failed get left a waiter that took the item");
            lock.release();
        });
    }

    /** Before its loop runs and after it closed, the thread that sets things up may use a primitive, but not wait. */
    @Test
    void theSetUpThreadMayUseAPrimitiveWhileItsLoopIsIdleButNotWaitOnIt() {
        queue.putNow("prepared");
        event.set();
        semaphore.release();
        String got = run(() -> {
            event.await();
            semaphore.acquire();
            return queue.get();
        });
        assertEquals("prepared", got);
        queue.putNow("left over");
        assertEquals("left over", queue.getNow(), "read what is left after the loop closed");
        var e = assertThrows(InvalidStateException.class, queue::get);
        assertFalse(e instanceof BlockingOnLoopException, "this thread runs no loop: " + e);
        assertTrue(e.getMessage().contains("task"), e.getMessage());
        assertThrows(InvalidStateException.class, () -> new Event().await(), "unbound, on a thread with no loop");
    }
}
