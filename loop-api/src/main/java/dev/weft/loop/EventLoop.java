package dev.weft.loop;

import java.time.Duration;
import java.util.Set;
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
     * @throws InvalidStateException    if the loop is already running, or another loop runs on this thread, or the
     *                                  loop is tied to the thread that first ran it (io_uring) and this is another
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
     * @throws InvalidStateException if the loop is running (call {@link #stop()} first), or it is tied to the thread
     *                               that first ran it (io_uring) and this is another; it is then left open
     */
    @Override
    void close();

    /** The name of the backend, as in {@code -Dweft.loop=NAME}. Thread-safe. */
    String backendName();

    /** How this loop's tasks get their threads: carried by the loop, or passing it a baton ({@link TaskMode}). */
    TaskMode taskMode();

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
    default <T> Task<T> createTask(Body<T, ?> body) {
        return createTask(null, body);
    }

    /** Start a task that runs the body on this loop; its value is null. Confined. */
    default Task<Void> createTask(VoidBody<?> body) {
        return createTask(null, body.returningNull());
    }

    /** Start a named task (null: a generated name). Confined. */
    <T> Task<T> createTask(String name, Body<T, ?> body);

    /** Start a named task whose value is null. Confined. */
    default Task<Void> createTask(String name, VoidBody<?> body) {
        return createTask(name, body.returningNull());
    }

    /** Start a task from any thread; the returned future completes with the task. Thread-safe. */
    <T> CompletableFuture<T> submit(Body<T, ?> body);

    /** {@link #submit(Body)} for a body without a value. Thread-safe. */
    default CompletableFuture<Void> submit(VoidBody<?> body) {
        return submit(body.returningNull());
    }

    /** A future of this loop that completes (on the loop) when the stage does. Thread-safe. */
    <T> Future<T> wrap(CompletionStage<T> stage);

    /** The tasks not yet done. Confined. */
    Set<Task<?>> allTasks();

    /**
     * Run a blocking call on an executor and complete the returned future on this loop with its outcome.
     *
     * @param executor where to run it; null for the loop's default executor (virtual threads)
     */
    <T> Future<T> runInExecutor(Executor executor, Body<T, ?> call);

    /** {@link #runInExecutor(Executor, Body)} for a call without a value. Confined. */
    default Future<Void> runInExecutor(Executor executor, VoidBody<?> call) {
        return runInExecutor(executor, call.returningNull());
    }

    // ---- health

    /**
     * This loop's health counters now: callbacks run, I/O events, tasks started and alive, open transports. Cheap
     * enough to call as often as wanted; rates come from two snapshots ({@link LoopStats#perSecond}). The loop's lag
     * is measured apart, by a {@link LagProbe}; the {@code loop-metrics} module shows both through JMX. Thread-safe.
     */
    LoopStats stats();

    // ---- signals

    /**
     * Run the handler on this loop each time the process receives the signal, as asyncio's
     * {@code add_signal_handler}: the JVM's signal thread hands it to {@link #callSoonThreadsafe}, so it runs as a
     * callback of this loop, on its thread, even if the loop is busy when the signal comes. Replaces this loop's
     * earlier handler for the signal; every loop with a handler for a signal runs its own. Closing the loop removes
     * its handlers; the JVM's handler of a signal comes back when no loop has one. A handler for SIGINT or SIGTERM
     * runs instead of {@link Loops#run}'s cancellation of its main task. A signal the JVM keeps ignored (ignored when
     * it started, as SIGHUP under {@code nohup}) never reaches the handler, and a warning says so. Thread-safe.
     *
     * @param signal its name as {@code kill -l} lists it, with or without {@code SIG}: {@code "HUP"}, {@code "USR1"},
     *               {@code "SIGWINCH"}
     * @throws IllegalArgumentException if the signal is unknown, cannot be caught (KILL, STOP), is one the JVM uses
     *                                  itself (QUIT, USR2, SEGV, PIPE...), or the JVM runs with {@code -Xrs} and
     *                                  leaves it to the operating system; the message says which and what to use
     * @throws LoopClosedException      if the loop is closed
     * @throws UnsupportedOperationException in a runtime image without the module {@code jdk.unsupported}, which
     *                                  holds the JDK's only signal API; the message says to add it to the image
     */
    void addSignalHandler(String signal, Runnable handler);

    /**
     * Remove this loop's handler for the signal; returns whether it had one (never, in a runtime image without
     * {@code jdk.unsupported}). Thread-safe.
     *
     * @throws IllegalArgumentException as {@link #addSignalHandler} for a name no handler can have
     */
    boolean removeSignalHandler(String signal);

    // ---- errors

    // ---- debug mode

    /**
     * Turn debug mode on with these thresholds, or off with null: see {@link DebugMode}. Confined: on the loop, or
     * while it is idle.
     *
     * @throws UnsupportedOperationException if this loop has no debug mode
     */
    default void setDebug(DebugMode mode) {
        throw new UnsupportedOperationException(getClass().getName() + " has no debug mode");
    }

    /** {@link #setDebug(DebugMode)} with the thresholds of {@link DebugMode#fromSystemProperties()}, or off. */
    default void setDebug(boolean on) {
        setDebug(on ? DebugMode.fromSystemProperties() : null);
    }

    /** This loop's debug mode, or null when it is off (the default, unless {@code -Dweft.debug=true}). */
    default DebugMode debugMode() {
        return null;
    }

    /** Install the handler for errors nobody awaited; null restores the default, which logs them. */
    void setExceptionHandler(ExceptionHandler handler);

    /** Send an error to the exception handler. Confined. */
    void callExceptionHandler(UnhandledError error);
}
