package dev.weft.loop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A body of code running on a loop as a coroutine: a {@link Future} of the body's result whose code runs on its own
 * virtual thread, carried by the loop ({@link TaskMode}). The body gives the loop up only where it awaits.
 *
 * <p>{@link #cancel()} asks: the body sees a {@link CancellationException} at its next await (the future it awaits
 * is cancelled too, as in asyncio), and the task ends cancelled if that exception leaves the body. A task's outcome
 * is set by its body only: {@link #setResult} and {@link #setException} throw.
 *
 * <h2>Cancellation is level-triggered</h2>
 * Once a task is cancelled, every later await throws a CancellationException again, as in trio and Kotlin, until the
 * task ends, until the request is taken back ({@link #uncancel()}, what a timeout does with its own), or while the
 * body runs {@link #shielded}. The reason is a Java trap: {@code catch (Exception e)} catches CancellationException
 * (Python's {@code except Exception} does not catch CancelledError), so a worker that logs and goes on would
 * swallow a one-shot cancellation and then wait forever. With the request standing, its next await throws again.
 * A task that swallows the exception and awaits again is given one loop turn first, and after 100 such, 10 ms, so
 * even a loop that catches around every await neither starves the others nor burns a core (it cannot be ended from
 * outside, though: its loop must ask {@link #isCancelRequested()}).
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>thread</th><th>leaves by</th></tr>
 *   <tr><td>scheduled</td><td>started, not yet run</td><td>the loop runs its first step</td></tr>
 *   <tr><td>running</td><td>runs on the loop</td><td>awaiting a pending future, or ending</td></tr>
 *   <tr><td>suspended</td><td>parked, loop free</td><td>the future completes, or the task is cancelled</td></tr>
 *   <tr><td>done</td><td>ended</td><td>–</td></tr>
 * </table>
 */
public final class Task<T> extends Future<T> {
    /** A body that swallows its cancellation this often runs on at full speed, a loop turn between redeliveries... */
    private static final int REDELIVERIES_AT_FULL_SPEED = 100;
    /** ...and then waits this long before each: a runaway catch-all costs little CPU until the scope names it. */
    private static final Duration SWALLOWER_PAUSE = Duration.ofMillis(10);
    /** The scoped-value bindings a task passes on to the tasks created under it (see {@link #inheritedBindings()}). */
    private static final ScopedValue<ScopedValue.Carrier> INHERITED = ScopedValue.newInstance();

    private final String name;           // null: named on demand from its number, "Task-<number>"
    private final long number;           // the loop's count of tasks when it was created
    private final Body<T, ?> body;
    private final Baton baton; // null when the task is carried by its loop
    private final Thread thread;
    private final ScopedValue.Carrier inherited; // captured where the task is created; null if none
    private volatile Future<?> waitingOn;
    private final long spawnedBy;        // the number of the task of this loop that created it, 0 if none: for dumps
    private TaskScope scope;             // the scope it was spawned into, until it ends (not to hold it): for dumps
    private volatile CancelRequests requests; // standing requests with their shield depths; null until the first
    private volatile int shields;        // shielded() calls the body is inside now
    private boolean delivered;           // a CancellationException for the standing requests has been thrown
    private int redeliveries;            // thrown again since, to a body that swallowed it
    private String cancelMessage;
    private final Steps steps = new Steps();
    Task<?> liveBefore;                  // the loop's LiveTasks, threaded through its tasks
    Task<?> liveAfter;

    Task(AbstractEventLoop loop, String name, long number, Body<T, ?> body) {
        super(loop);
        this.name = name;
        this.number = number;
        this.body = Objects.requireNonNull(body, "body");
        this.baton = loop.taskMode() == TaskMode.BATON ? new Baton() : null;
        this.inherited = inheritedBindings();
        Task<?> spawner = currentOrNull();
        this.spawnedBy = spawner != null && spawner.owner == loop ? spawner.number : 0;
        this.thread = loop.newTaskThread(this, name, steps);
        thread.setUncaughtExceptionHandler(steps);
    }

    /**
     * The task whose body is running on the calling thread, or null. A task's thread names its task by the one field
     * every thread has for a handler of its own: its uncaught-exception handler. A ThreadLocal cost every task a map of
     * 136 bytes, an eighth of what a sleeping task holds, and a ConcurrentHashMap by thread made an await round trip
     * 130 ns slower (478 against 349 ns); tasks look themselves up on every confined call. (A body that replaces its
     * thread's handler makes its task unknown to Weft from then on: its loop refuses its confined calls.) Only the
     * task's own thread counts: a thread given the handler of the thread that made it, as some libraries do, is no task.
     */
    public static Task<?> currentOrNull() {
        Thread current = Thread.currentThread();
        Task<?> task = current.getUncaughtExceptionHandler() instanceof Task<?>.Steps steps ? steps.task() : null;
        return task != null && task.thread == current ? task : null;
    }

    public String name() {
        return name != null ? name : "Task-" + number; // built when asked: a spawn need not pay for a string
    }

    /**
     * The scoped-value bindings that a task created here would inherit, or null: the hook behind
     * {@code dev.weft.scope.TaskContext}, which is the API to use. A task captures them when it is created and binds
     * them again around its body, on its own thread.
     */
    public static ScopedValue.Carrier inheritedBindings() {
        return INHERITED.isBound() ? INHERITED.get() : null;
    }

    /**
     * Call the body with the bindings bound, and recorded so that tasks created inside it inherit them (the hook
     * behind {@code dev.weft.scope.TaskContext}).
     *
     * @throws E what the body throws
     */
    public static <R, E extends Exception> R callInheriting(ScopedValue.Carrier bindings, Body<R, E> body) throws E {
        return bindings.where(INHERITED, bindings).call(body::call);
    }

    void start() {
        thread.start(); // when carried, this queues the first step on the loop
        if (baton != null) {
            owner.execute(owner.taskStep(this, this::step));
        }
    }

    /** One step in baton mode: the loop thread lends the task its turn and waits for it back. */
    private void step() {
        baton.runTask(thread);
    }

    private void run() {
        if (baton != null) {
            baton.awaitTurn();
        }
        try {
            if (cancellationDue()) {
                throw deliverCancellation(); // cancelled before its first step: the body never runs
            }
            complete(SUCCESS, inherited == null ? body.call() : callInheriting(inherited, body));
        } catch (CancellationException e) {
            complete(CANCELLED, e);
        } catch (Throwable t) {
            complete(FAILURE, t);
        } finally {
            scope = null; // a task kept after its end must not keep its group, nor the group its owner
            owner.taskDone(this);
            if (baton != null) {
                baton.giveBack();
            }
        }
    }

    /** Suspend this task, which runs on the calling thread, until the future is done; then return its result. */
    <R> R suspendOn(Future<R> future) {
        if (future == this) {
            throw new InvalidStateException(this + " cannot await itself");
        }
        throwIfCancelled();
        if (!future.isDone()) {
            waitingOn = future;
            if (future.owner == owner) {
                future.addDoneCallback(steps);
            } else {
                future.owner.runConfined(() -> future.addDoneCallback(f -> owner.execute(() -> wake(f))));
            }
            parkUntilWoken(future);
            if (cancellationDue() && future.isDone() && !future.isCancelled() && future.exception() != null) {
                // Cancelled after the future failed: its failure rides along, retrieved, instead of going unseen.
                CancellationException cancelled = deliverCancellation();
                cancelled.addSuppressed(future.exception());
                throw cancelled;
            }
            throwIfCancelled();
        }
        return future.result();
    }

    /** Give the loop up until {@link #wake} is called with the future. */
    private void parkUntilWoken(Future<?> future) {
        if (baton == null) {
            // The test follows the park, never precedes it: the JIT compiles this while many tasks park and none has
            // resumed yet, and a test it saw only one way would deoptimize every one of them on its first resume
            // (JFR counted one jdk.Deoptimization per task of a million sleepers, 12 µs each). Tested after the park, it
            // has no one-sided profile to be wrong about, and none happened.
            do {
                LockSupport.park(this);
            } while (waitingOn == future);
        } else {
            baton.pass();
        }
    }

    /** Let the loop run one turn (other callbacks and tasks go first), or pause this long. */
    private void yieldToLoop(Duration pause) {
        Future<Void> turn = new Future<>(owner);
        waitingOn = turn;
        if (pause.isZero()) {
            owner.execute(() -> wake(turn));
        } else {
            owner.callLater(pause, () -> wake(turn));
        }
        parkUntilWoken(turn);
    }

    /**
     * The task's one helper, made with it: the body of its thread, and the done-callback of its awaits. A future runs
     * that callback at completion rather than one loop iteration later, as asyncio's wake-up does: all it does is
     * queue the task's next step. (One object for both: a million sleeping tasks hold a million of them.)
     */
    final class Steps implements Runnable, Consumer<Future<?>>, Thread.UncaughtExceptionHandler {
        @Override
        public void run() {
            Task.this.run();
        }

        Task<?> task() {
            return Task.this;
        }

        /**
         * What gets past the body's own catch (a failure in the task's last steps) goes to the loop, not stderr; so does
         * what code calls the current thread's handler with itself (some reactive libraries do with errors they cannot
         * deliver, while the task runs on), and the failure of another thread given this handler (by a library that
         * passes its creator's on), which is handed to the loop, where exception handlers run. So the message says only
         * whose thread it was.
         */
        @Override
        public void uncaughtException(Thread failed, Throwable failure) {
            if (failed == thread) {
                owner.callExceptionHandler(new UnhandledError("uncaught on the thread of " + Task.this, failure));
                return;
            }
            UnhandledError error = new UnhandledError("uncaught on thread '" + failed.getName()
                    + "', given the handler of " + Task.this, failure);
            try {
                owner.execute(() -> owner.callExceptionHandler(error));
            } catch (RejectedExecutionException closed) {
                owner.callExceptionHandler(error); // no loop to run it on: its default logs it
            }
        }

        @Override
        public void accept(Future<?> done) {
            wake(done);
        }
    }

    /** Resume the task if it still waits on this future. On the loop. */
    private void wake(Future<?> from) {
        if (waitingOn != from) {
            return; // woken already, by cancel()
        }
        waitingOn = null;
        if (baton == null) {
            LockSupport.unpark(thread); // its scheduler, this loop, queues the continuation
        } else {
            owner.execute(owner.taskStep(this, this::step));
        }
    }

    /** A standing request reaches the code running now: it was made at this shield depth or a deeper one. */
    private boolean cancellationDue() {
        CancelRequests standing = requests;
        return standing != null && standing.deepest() >= shields;
    }

    /**
     * Throw the task's CancellationException now if it is being cancelled and not {@link #shielded}: the check for a
     * stretch of code that does not await (Kotlin's {@code ensureActive()}). Call it from the task's own body.
     *
     * @throws CancellationException if a cancellation is standing
     * @throws InvalidStateException from any other thread than the task's
     */
    public void checkCancelled() {
        checkOwnThread("checkCancelled()");
        throwIfCancelled();
    }

    /** {@link #checkCancelled()} without the thread check, for the awaits of this task's own thread. */
    private void throwIfCancelled() {
        if (cancellationDue()) {
            if (delivered) {
                // Swallowed before: let the loop run first, and after many, slow the loop of catch-alls down.
                yieldToLoop(++redeliveries > REDELIVERIES_AT_FULL_SPEED ? SWALLOWER_PAUSE : Duration.ZERO);
            }
            throw deliverCancellation();
        }
    }

    private CancellationException deliverCancellation() {
        delivered = true;
        return new CancellationException(cancelMessage != null ? cancelMessage : "task " + name() + " cancelled");
    }

    /**
     * Run the body with this task's cancellation held back, as trio's shielded cancel scope and Kotlin's
     * {@code withContext(NonCancellable)}: awaits inside it are not interrupted by {@link #cancel()}, and a
     * cancellation that arrives meanwhile is delivered at the first await after it. For clean-up that must finish
     * (closing a connection politely, awaiting children); bound it with a {@code Timeout} inside if it may hang.
     * Call it from the task's own body.
     *
     * @throws E what the body throws
     * @throws InvalidStateException from any other thread than the task's
     */
    public <R, E extends Exception> R shielded(Body<R, E> body) throws E {
        checkOwnThread("shielded()");
        shields++;
        try {
            return body.call();
        } finally {
            shields--;
        }
    }

    /** {@link #shielded(Body)} for a body without a value. */
    public <E extends Exception> void shielded(VoidBody<E> body) throws E {
        shielded(body.returningNull());
    }

    private void checkOwnThread(String operation) {
        if (currentOrNull() != this) {
            throw new InvalidStateException(operation + " is for task '" + name() + "' to call from its own body");
        }
    }

    /**
     * Ask the task to stop: it sees a CancellationException at its next await, and at every await after that until
     * the request is taken back with {@link #uncancel()} (see the class comment); code the body runs
     * {@link #shielded} is not interrupted. Returns false if already done. Confined.
     */
    @Override
    public boolean cancel(String message) {
        return cancelAtDepth(message, 0);
    }

    /**
     * {@link #cancel(String)} as a scope entered at the given {@linkplain #shieldDepth() shield depth} makes it, as
     * trio's cancel scopes do: the request reaches the code of that depth and every shallower one, but not code
     * shielded deeper. So a {@code Timeout} entered inside a shield still ends its own body, while a cancellation
     * from outside (depth 0) waits for the shield to end. Returns false if already done. Confined.
     */
    public boolean cancelAtDepth(String message, int shieldDepth) {
        owner.checkConfined();
        if (isDone()) {
            return false;
        }
        if (message != null) {
            cancelMessage = message; // a later cancel() without a message keeps the earlier reason
        }
        if (requests == null) {
            requests = new CancelRequests(); // only now: most tasks are never cancelled
        }
        requests.add(shieldDepth);
        Future<?> awaited = waitingOn;
        if (awaited == null || shieldDepth < shields) {
            return true; // delivered at its next await (after the shields it does not reach)
        }
        if (awaited.owner != owner || !awaited.cancel(message)) {
            wake(awaited); // a cancelled awaited future wakes the task itself
        }
        return true;
    }

    /** How many {@link #shielded} calls the body is inside now: the depth a scope entered now records. */
    public int shieldDepth() {
        return shields;
    }

    /**
     * How many cancellations were requested and not taken back with {@link #uncancel()}: as asyncio's
     * {@code Task.cancelling()}, what lets a timeout tell its own cancellation from one that came from outside.
     * While it is above zero, every await of the task throws a CancellationException (outside shields). Confined.
     */
    public int cancelling() {
        owner.checkConfined();
        return standingRequests();
    }

    /**
     * Take back one cancellation request, the one made at the deepest shield depth (scopes nest, so the innermost
     * takes its own back first), once its CancellationException has been handled (by a timeout turning it into a
     * timeout error, say); returns the requests left. With none left, awaits no longer throw. Confined.
     */
    public int uncancel() {
        owner.checkConfined();
        if (requests == null || requests.removeDeepest() == 0) {
            delivered = false;
            redeliveries = 0;
        }
        return standingRequests();
    }

    private int standingRequests() {
        return requests == null ? 0 : requests.count();
    }

    /** Whether a cancellation stands that reaches the code running now (not shielded from it). Thread-safe. */
    public boolean isCancelRequested() {
        return cancellationDue();
    }

    /**
     * Where the task's code is now: its thread's stack, innermost frame first (empty once it has ended). For
     * diagnostics, such as naming where a task that ignores its cancellation is stuck. Thread-safe.
     */
    public StackTraceElement[] stackTrace() {
        return thread.getStackTrace();
    }

    /**
     * Name the scope this task was spawned into, for task dumps, which show the scope as its parent: the hook behind
     * {@code dev.weft.scope.TaskGroup}, for scopes to call right after they start a task. Confined.
     */
    public void spawnedInto(TaskScope scope) {
        this.scope = scope;
    }

    // ---- what a task dump reads (TaskSnapshots)

    long number() {
        return number;
    }

    long spawnedBy() {
        return spawnedBy;
    }

    TaskScope scope() {
        return scope;
    }

    Future<?> awaiting() {
        return waitingOn;
    }

    Thread.State threadState() {
        return thread.getState();
    }

    Thread thread() {
        return thread;
    }

    /** Whether this task, in {@link TaskMode#BATON}, holds its loop's baton now. */
    boolean holdsBaton() {
        return baton != null && baton.held();
    }

    /** @throws InvalidStateException always: a task's result comes from its body */
    @Override
    public void setResult(T value) {
        throw new InvalidStateException("a task's result comes from its body; cannot set it on " + this);
    }

    /** @throws InvalidStateException always: a task's outcome comes from its body */
    @Override
    public void setException(Throwable error) {
        throw new InvalidStateException("a task's outcome comes from its body; cannot set it on " + this);
    }

    @Override
    public String toString() {
        return "Task[" + name() + ", " + describeState() + "]";
    }
}
