package dev.weft.loop;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An event loop: a multiplexer that waits for I/O and deadlines, and the loop proper that runs the callbacks and
 * tasks they make ready, one at a time, on one thread. Backends extend {@link AbstractEventLoop}, which implements
 * everything here but the wait for I/O.
 *
 * <p>Methods are <em>confined</em> to the loop unless they say they are thread-safe: see {@link dev.weft.loop}.
 */
public interface EventLoop extends Executor, AutoCloseable {

    /** The loop the current code runs on: the loop of the current task, or the loop this thread is running. */
    static EventLoop current() {
        return AbstractEventLoop.current();
    }

    /** {@link #current()}, or null where no loop runs: for code that works both on and off a loop. */
    static EventLoop currentOrNull() {
        return AbstractEventLoop.currentOrNull();
    }

    // ---- running and stopping

    /**
     * Run on the calling thread until {@link #stop()}.
     *
     * @throws InvalidStateException    if the loop is already running, or another loop runs on this thread
     * @throws LoopClosedException  if the loop is closed
     */
    void runForever();

    /**
     * Run on the calling thread until the future is done, then return its result or throw its failure (a checked
     * failure wrapped in {@link java.util.concurrent.CompletionException}).
     */
    <T> T runUntilComplete(Future<T> future);

    /** Stop after the callbacks that are ready now have run. Thread-safe. */
    void stop();

    /** Thread-safe. */
    boolean isRunning();

    /** Thread-safe. */
    boolean isClosed();

    /**
     * Cancel the tasks still pending and let them finish, release the backend's resources and threads, and report
     * failures nobody retrieved to the exception handler. Idempotent.
     *
     * @throws InvalidStateException if the loop is running; call {@link #stop()} first
     */
    @Override
    void close();

    /** The name of the backend, as in {@code -Dweft.loop=NAME}. Thread-safe. */
    String backendName();

    /**
     * What this loop supports beyond callbacks, timers and tasks: by default the capabilities its installed provider
     * declares (the one {@link #backendName()} names), or none if no provider of that name is installed. A backend
     * may override this with a cheaper or more exact answer. Thread-safe.
     */
    default Set<Capability> capabilities() {
        for (LoopProvider provider : Loops.providers()) {
            if (provider.name().equals(backendName())) {
                return provider.capabilities();
            }
        }
        return Set.of();
    }

    /** Whether the calling code runs on this loop: in one of its callbacks or tasks. Thread-safe. */
    boolean inLoop();

    // ---- callbacks and timers

    /** Schedule a callback to run soon, after those already scheduled (FIFO). Confined. */
    Handle callSoon(Runnable callback);

    /** {@link #callSoon} from any thread; wakes the loop if it is waiting. Thread-safe. */
    Handle callSoonThreadsafe(Runnable callback);

    /** Schedule a callback after a delay; never runs early. Confined. */
    TimerHandle callLater(Duration delay, Runnable callback);

    /** Schedule a callback at a deadline on this loop's clock ({@link #time()}); never runs early. Confined. */
    TimerHandle callAt(long deadlineNanos, Runnable callback);

    /** The loop's monotonic clock, in nanoseconds. Thread-safe. */
    long time();

    /** Run a command on the loop: the {@link Executor} view, used as the scheduler of task threads. Thread-safe. */
    @Override
    void execute(Runnable command);

    // ---- futures and tasks

    /** A new pending future of this loop. Confined. */
    <T> Future<T> createFuture();

    /** Start a task that runs the body on this loop. Confined. */
    <T> Task<T> createTask(Callable<T> body);

    /** Start a named task. Confined. */
    <T> Task<T> createTask(String name, Callable<T> body);

    /** Start a task from any thread; the returned future completes with the task. Thread-safe. */
    <T> CompletableFuture<T> submit(Callable<T> body);

    /** A future of this loop that completes (on the loop) when the stage does. Thread-safe. */
    <T> Future<T> wrap(CompletionStage<T> stage);

    /** The tasks not yet done. Confined. */
    Set<Task<?>> allTasks();

    /**
     * Run a blocking call on an executor and complete the returned future on this loop with its outcome.
     *
     * @param executor where to run it; null for the loop's default executor (virtual threads)
     */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> call);

    // ---- errors

    /** Install the handler for errors nobody awaited; null restores the default, which logs them. */
    void setExceptionHandler(ExceptionHandler handler);

    /** Send an error to the exception handler. Confined. */
    void callExceptionHandler(UnhandledError error);
}
