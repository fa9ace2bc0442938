package dev.weft.testkit;

import dev.weft.loop.Body;
import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;
import dev.weft.loop.UnhandledError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The base of every conformance suite. A backend runs a suite by naming its factory:
 *
 * <pre>{@code
 * @Nested class Timers extends TimerSuite {
 *     @Override protected EventLoop newLoop() { return new NioEventLoop(); }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh {@link #loop} whose exception handler records what it receives instead of logging it.
 * After the test the loop must close cleanly and the handler must have received nothing the test did not take with
 * {@link #takeUnhandled()}: an error that only reaches a log is a failure here. And every socket, pipe and kernel
 * object (epoll, eventfd, io_uring) the test opened must be closed by then, and no task may outlive its loop: a
 * leaked descriptor or task fails the test.
 *
 * <p>The timeout runs each test on its own thread, so a loop that never wakes fails its test instead of hanging the
 * build.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class LoopSuite {
    /** Long enough that no test waits for it: a deadline that stands for "never". */
    protected static final Duration NEVER = Duration.ofHours(1);
    /** How long a test waits for something another thread does before it calls that a failure. */
    protected static final Duration PATIENCE = Duration.ofSeconds(5);

    private final List<EventLoop> opened = new CopyOnWriteArrayList<>(); // tasks may open loops too
    private final List<UnhandledError> unhandled = new CopyOnWriteArrayList<>();

    private Map<String, String> descriptorsBefore; // the process's sockets and kernel objects before the test

    /** The loop of this test, idle and open. */
    protected EventLoop loop;

    /** A new loop of the backend under test. */
    protected abstract EventLoop newLoop();

    @BeforeEach
    final void openTestLoop() {
        descriptorsBefore = OpenDescriptors.now();
        loop = openLoop();
    }

    @AfterEach
    final void closeTestLoops() {
        for (EventLoop each : opened) {
            assertDoesNotThrow(each::close, "closing the loop after the test");
            assertTrue(each.isClosed(), "isClosed() after close()");
            assertEquals(Set.of(), each.allTasks(), "tasks outlived their loop: they ignored its cancellation");
        }
        assertEquals(List.of(), unhandled, "errors reached the exception handler that the test did not expect");
        assertEquals(Map.of(), OpenDescriptors.leakedSince(descriptorsBefore),
                "sockets, pipes or kernel objects the test opened were still open once its loops were closed");
    }

    /** Another loop from {@link #newLoop()}, recording its unhandled errors too, closed after the test. */
    protected final EventLoop openLoop() {
        EventLoop created = newLoop();
        created.setExceptionHandler((from, error) -> unhandled.add(error));
        opened.add(created);
        return created;
    }

    /**
     * {@link Loops#run} on this test's loop: main runs as a task, then the loop closes. A checked failure comes out in
     * a CompletionException, so that tests need not declare what their bodies throw.
     */
    protected final <T> T run(Body<T, ?> main) {
        try {
            return Loops.run(() -> loop, main);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    /** Run the body in a callback of the loop (on its thread, outside any task), then rethrow what it threw. */
    protected final void onLoop(Executable body) {
        onLoop(loop, body);
    }

    /** {@link #onLoop(Executable)} on another loop. */
    protected static void onLoop(EventLoop target, Executable body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        target.callSoon(() -> {
            try {
                body.execute();
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                target.stop();
            }
        });
        target.runForever();
        if (failure.get() != null) {
            throw failure.get() instanceof Error e ? e : new AssertionError("the callback threw", failure.get());
        }
    }

    /** The errors the exception handler received so far; taking them tells the after-test check they were expected. */
    protected final List<UnhandledError> takeUnhandled() {
        List<UnhandledError> taken = List.copyOf(unhandled);
        unhandled.removeAll(taken);
        return taken;
    }

    /** The task mode of the loop, or null for a backend that does not extend the shared core. */
    protected final TaskMode taskMode() {
        return loop instanceof AbstractEventLoop core ? core.taskMode() : null;
    }

    /** Busy-wait (never park) until the flag is set; false if it is not set within two seconds. */
    protected static boolean spinUntil(AtomicBoolean flag) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!flag.get()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** Start the body on a new platform thread, foreign to every loop. */
    protected static <T> ForeignThread<T> onForeignThread(Callable<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("foreign").daemon().start(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return new ForeignThread<>(thread, result);
    }

    /** A thread started by {@link #onForeignThread} and the outcome of its body. */
    public record ForeignThread<T>(Thread thread, CompletableFuture<T> result) {
        /**
         * Wait until the thread parks or ends. Blocking calls do not announce themselves; a parked thread is the one
         * sign that it reached the wait, so this polls the thread's state.
         */
        public void awaitParked() {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                switch (thread.getState()) {
                    case WAITING, TIMED_WAITING, TERMINATED -> {
                        return;
                    }
                    default -> {
                        if (System.nanoTime() - deadline > 0) {
                            fail(thread + " did not reach its wait within " + PATIENCE);
                        }
                        Thread.onSpinWait();
                    }
                }
            }
        }
    }
}
