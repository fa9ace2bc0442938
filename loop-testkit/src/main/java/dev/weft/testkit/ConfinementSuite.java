package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Misuse fails at once with a typed error instead of corrupting a loop: confined calls from foreign threads
 * (WrongThreadException), a running loop run or closed again, a loop run inside a task (InvalidStateException), and a
 * closed loop (LoopClosedException).
 */
public abstract class ConfinementSuite extends LoopSuite {

    /** Each named call, run here, and what it threw; calls that threw nothing map to null. */
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

    @Test
    void confinedCallsFromAForeignThreadWhileTheLoopRunsThrowWrongThreadException() {
        Map<String, Throwable> thrown = run(() -> {
            Future<String> future = loop.createFuture();
            Task<String> task = Tasks.spawn(future::await);
            Map<String, Executable> calls = new LinkedHashMap<>();
            calls.put("callSoon", () -> loop.callSoon(() -> fail("ran")));
            calls.put("callLater", () -> loop.callLater(Duration.ZERO, () -> fail("ran")));
            calls.put("callAt", () -> loop.callAt(loop.time(), () -> fail("ran")));
            calls.put("createFuture", loop::createFuture);
            calls.put("createTask", () -> loop.createTask(() -> fail("ran")));
            calls.put("allTasks", loop::allTasks);
            calls.put("runInExecutor", () -> loop.runInExecutor(null, () -> fail("ran")));
            calls.put("Future.setResult", () -> future.setResult("foreign"));
            calls.put("Future.setException", () -> future.setException(new RuntimeException("foreign")));
            calls.put("Future.cancel", future::cancel);
            calls.put("Future.addDoneCallback", () -> future.addDoneCallback(f -> fail("ran")));
            calls.put("Task.cancel", task::cancel);
            Map<String, Throwable> result = Async.await(onForeignThread(() -> attempt(calls)).result());
            assertFalse(future.isDone(), "a foreign call completed the future");
            future.setResult("on the loop");
            assertEquals("on the loop", task.await());
            return result;
        });
        List<String> wrong = new ArrayList<>();
        thrown.forEach((name, t) -> {
            if (!(t instanceof WrongThreadException)) {
                wrong.add(name + " threw " + t);
            }
        });
        assertEquals(List.of(), wrong);
    }

    /** While a loop is idle, the thread that sets it up may use it. */
    @Test
    void confinedCallsAreAllowedWhileTheLoopIsIdle() {
        Future<String> future = loop.createFuture();
        future.setResult("set up");
        List<String> ran = new ArrayList<>();
        loop.callSoon(() -> ran.add(future.result()));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("set up"), ran);
    }

    @Test
    void closingARunningLoopThrowsAndLeavesItRunning() {
        run(() -> {
            assertThrows(InvalidStateException.class, loop::close);
            Throwable foreign = Async.await(onForeignThread(() -> assertThrows(InvalidStateException.class,
                    loop::close)).result());
            assertInstanceOf(InvalidStateException.class, foreign);
            assertFalse(loop.isClosed());
            Async.sleep(Duration.ofMillis(1)); // still works
            return null;
        });
    }

    @Test
    void runningARunningLoopAgainThrows() {
        onLoop(() -> {
            assertThrows(InvalidStateException.class, loop::runForever);
            var foreign = onForeignThread(() -> assertThrows(InvalidStateException.class, loop::runForever));
            foreign.thread().join(PATIENCE); // a short block of the loop, to keep it running meanwhile
            assertInstanceOf(InvalidStateException.class, foreign.result().getNow(null));
        });
    }

    @Test
    void runUntilCompleteInsideATaskThrows() {
        String after = run(() -> {
            Future<String> future = loop.createFuture();
            assertThrows(InvalidStateException.class, () -> loop.runUntilComplete(future));
            EventLoop other = openLoop();
            Future<String> elsewhere = other.createFuture();
            assertThrows(InvalidStateException.class, () -> other.runUntilComplete(elsewhere));
            Async.sleep(Duration.ZERO);
            return "the task went on";
        });
        assertEquals("the task went on", after);
    }

    @Test
    void runUntilCompleteRejectsAFutureOfAnotherLoop() {
        Future<String> elsewhere = openLoop().createFuture();
        assertThrows(InvalidStateException.class, () -> loop.runUntilComplete(elsewhere));
    }

    /** Inside a task or a callback; the check comes before the factory is asked, so no loop is opened and leaked. */
    @Test
    void loopsRunInsideALoopThrows() {
        List<EventLoop> made = new ArrayList<>();
        Executable nested = () -> Loops.run(() -> {
            made.add(openLoop());
            return made.getLast();
        }, () -> "nested");
        run(() -> assertThrows(InvalidStateException.class, nested));
        onLoop(openLoop(), () -> assertThrows(InvalidStateException.class, nested));
        assertEquals(List.of(), made, "Loops.run opened a loop before refusing to run it");
    }

    @Test
    void aClosedLoopRejectsEveryUse() {
        Future<String> pending = loop.createFuture();
        loop.close();
        assertTrue(loop.isClosed());
        loop.close(); // idempotent
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("runForever", loop::runForever);
        calls.put("runUntilComplete", () -> loop.runUntilComplete(pending));
        calls.put("callSoon", () -> loop.callSoon(() -> fail("ran")));
        calls.put("callLater", () -> loop.callLater(Duration.ZERO, () -> fail("ran")));
        calls.put("callAt", () -> loop.callAt(loop.time(), () -> fail("ran")));
        calls.put("createFuture", loop::createFuture);
        calls.put("createTask", () -> loop.createTask(() -> fail("ran")));
        calls.put("runInExecutor", () -> loop.runInExecutor(null, () -> fail("ran")));
        calls.put("Loops.run", () -> Loops.run(() -> loop, () -> fail("ran")));
        // execute and submit may speak the Executor's language: RejectedExecutionException, caused by it.
        calls.put("callSoonThreadsafe", () -> loop.callSoonThreadsafe(() -> fail("ran")));
        calls.put("execute", () -> loop.execute(() -> fail("ran")));
        calls.put("submit", () -> loop.submit(() -> fail("ran")));
        List<String> wrong = new ArrayList<>();
        attempt(calls).forEach((name, t) -> {
            boolean closedError = t instanceof LoopClosedException
                    || t instanceof java.util.concurrent.RejectedExecutionException r
                    && r.getCause() instanceof LoopClosedException && !name.equals("callSoonThreadsafe");
            if (!closedError) {
                wrong.add(name + " threw " + t);
            }
        });
        assertEquals(List.of(), wrong);
    }

    /** A pending future of a closed loop can never complete: awaiting it must fail, not block its thread forever. */
    @Test
    void awaitingAPendingFutureOfAClosedLoopFails() throws Exception {
        Future<String> pending = loop.createFuture();
        loop.close();
        var awaiter = onForeignThread(() -> assertThrows(LoopClosedException.class, pending::await));
        try {
            awaiter.result().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fail("await() on a pending future of a closed loop blocked its thread for " + PATIENCE);
        } finally {
            awaiter.thread().interrupt(); // release it if it blocks
        }
    }
}
