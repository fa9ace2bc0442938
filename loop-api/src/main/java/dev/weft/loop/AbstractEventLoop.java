package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The shared loop core: the ready queue, the thread-safe submission queue, the timer heap, and the machinery of
 * futures and tasks. A backend supplies only the multiplexer: {@link #poll(long)} waits for I/O or a timeout and
 * dispatches what became ready, {@link #wakeup()} interrupts that wait from another thread, and
 * {@link #closeBackend()} releases what the backend holds.
 *
 * <p>One iteration, as in asyncio: compute how long to wait (zero if callbacks are ready, until the next deadline
 * otherwise), poll, move submissions from other threads and due timers to the ready queue, then run the callbacks
 * that are ready now — not those they schedule, which wait for the next iteration so I/O is never starved.
 */
public abstract class AbstractEventLoop implements EventLoop {
    private static final System.Logger LOG = System.getLogger("dev.weft.loop");
    private static final ThreadLocal<AbstractEventLoop> RUNNING = new ThreadLocal<>();
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How long a loop busy with ready callbacks goes between looks at I/O: see {@link #ioDue(long)}. */
    private static final long POLL_INTERVAL_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    static {
        LoggingWarmUp.ensure(); // before any loop serves, so a record at EMFILE still comes out
    }

    private final int id = IDS.incrementAndGet(); // tells loops apart in messages
    private final String backendName;
    private final TaskMode taskMode;
    private final Thread.Builder.OfVirtual taskThreads;
    private final Thread.Builder.OfVirtual unnamedTaskThreads; // never named: a builder keeps the last name it had
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Runnable> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final TimerQueue timers = new TimerQueue();
    private final BlockingCalls blockingCalls;
    private final LiveTasks liveTasks = new LiveTasks();
    private final SpinBeforeWait spin = new SpinBeforeWait();
    private final BooleanSupplier submissionArrived = () -> !submissions.isEmpty();
    private final Set<UnretrievedFailure> unretrievedFailures = ConcurrentHashMap.newKeySet();
    private final LoopCounters counters = new LoopCounters();
    private boolean observed; // the loop observers heard of its first run

    private volatile LoopClock clock = LoopClock.SYSTEM;
    private volatile Thread runningThread;
    private volatile boolean closed;
    private boolean stopping;
    private long lastPollNanos = System.nanoTime() - POLL_INTERVAL_NANOS; // the last look at I/O
    private long timerSequence;
    private long taskCounter;
    private ExceptionHandler exceptionHandler;
    private LoopDebug debug; // null unless in debug mode: see DebugMode

    protected AbstractEventLoop(String backendName) {
        this(backendName, TaskMode.bestAvailable());
    }

    protected AbstractEventLoop(String backendName, TaskMode taskMode) {
        this.backendName = backendName;
        this.taskMode = taskMode;
        this.blockingCalls = new BlockingCalls(backendName);
        this.taskThreads = taskThreadBuilder();
        this.unnamedTaskThreads = taskThreadBuilder();
        this.debug = LoopDebug.switchTo(this, null, DebugMode.forNewLoop());
    }

    private Thread.Builder.OfVirtual taskThreadBuilder() {
        return taskMode == TaskMode.CARRIED ? CarriedThreads.builder(this) : Thread.ofVirtual();
    }

    // ---- what a backend supplies

    /**
     * Wait until I/O is ready or the timeout passes, and dispatch the I/O events. Loop thread only.
     *
     * @param timeoutNanos 0 to return at once, negative to wait until {@link #wakeup()}, else the longest wait
     */
    protected abstract void poll(long timeoutNanos);

    /** Make a {@link #poll} in progress, or the next one, return at once. Thread-safe. */
    protected abstract void wakeup();

    /**
     * Run work the backend keeps for when the loop has nothing else to run; whether it ran any (the loop then looks
     * again instead of waiting). Tried before every wait, and before the spin that may precede it. Loop thread only.
     * None by default; the vthreads loop runs the I/O threads that yielded here (the JDK's sub-pollers).
     */
    protected boolean runWhenIdle() {
        return false;
    }

    /** Release the backend's resources. Called once, by {@link #close()}. */
    protected abstract void closeBackend();

    /**
     * A builder of virtual threads on the JDK's default scheduler wherever they are made, for a backend's own I/O
     * threads: a virtual thread made inside a carried task without naming a scheduler would take the loop as its
     * scheduler (the JDK's rule), and its blocking I/O would then run between the loop's callbacks.
     */
    protected static Thread.Builder.OfVirtual offLoopThreadBuilder() {
        return CarriedThreads.offLoopBuilder();
    }

    /**
     * A builder of virtual threads whose continuations run on {@code scheduler}, for a backend that carries its own I/O
     * threads. Needs what {@link TaskMode#CARRIED} needs; check {@link #taskMode()} first.
     */
    protected static Thread.Builder.OfVirtual threadBuilderOn(Executor scheduler) {
        return CarriedThreads.builder(scheduler);
    }

    private long clockNanos() {
        return clock.nanoTime();
    }

    /**
     * Schedule by this clock from now on: a virtual clock makes timers fire at once in tests. Only while the loop is
     * idle and has no timers, since their deadlines were read on the old clock.
     *
     * @throws InvalidStateException if the loop is running or has timers scheduled
     */
    public void setClock(LoopClock clock) {
        checkOpen();
        if (runningThread != null || timers.size() > 0) {
            throw new InvalidStateException("set the clock before the loop runs and before any timer is scheduled");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- identity and state

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public TaskMode taskMode() {
        return taskMode;
    }

    @Override
    public boolean isRunning() {
        return runningThread != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public long time() {
        return clockNanos();
    }

    @Override
    public boolean inLoop() {
        Thread current = Thread.currentThread();
        if (current == runningThread) {
            return true;
        }
        Task<?> task = Task.currentOrNull();
        return task != null && task.owner == this && runningThread != null;
    }

    /** Throw unless the caller may use confined methods: on the loop, or any thread while the loop is idle. */
    final void checkConfined() {
        Thread owner = runningThread;
        if (owner != null && owner != Thread.currentThread() && !inLoop()) {
            throw new WrongThreadException("this " + backendName + " event loop runs on thread '" + owner.getName()
                    + "' and may only be used from it; from other threads use callSoonThreadsafe, submit or execute");
        }
    }

    /**
     * Throw unless the caller is on this loop (or the loop is idle): what a backend's sockets check before every call
     * that changes them. For backend authors.
     */
    public final void checkNetworkConfined(String operation) {
        if (isRunning() && !inLoop()) {
            throw new WrongThreadException(operation + ": the sockets of this " + backendName
                    + " event loop may only be used on its loop, not from thread '" + Thread.currentThread().getName()
                    + "'; from other threads use callSoonThreadsafe, submit or execute");
        }
    }

    /** Run now if the caller may use confined methods, else submit it to the loop. */
    final void runConfined(Runnable action) {
        if (runningThread == null || inLoop()) {
            action.run();
        } else {
            execute(action);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LoopClosedException("the " + backendName + " event loop is closed");
        }
    }

    static AbstractEventLoop current() {
        AbstractEventLoop loop = currentOrNull();
        if (loop == null) {
            throw new InvalidStateException(
                    "no running event loop: call this inside Loops.run(...), a task, or a loop callback");
        }
        return loop;
    }

    static AbstractEventLoop currentOrNull() {
        Task<?> task = Task.currentOrNull();
        return task != null ? task.owner : RUNNING.get();
    }

    /** Whether the calling thread is running a loop (outside any task). */
    static boolean onLoopThread() {
        return RUNNING.get() != null;
    }

    // ---- running and stopping

    @Override
    public void runForever() {
        enter();
        try {
            while (!stopping) {
                runOnce();
            }
        } finally {
            stopping = false;
            exit();
        }
    }

    private void enter() {
        checkOpen();
        if (runningThread != null) {
            throw new InvalidStateException("this event loop is already running");
        }
        if (RUNNING.get() != null || Task.currentOrNull() != null) {
            throw new InvalidStateException(
                    "cannot run an event loop while another loop is running on this thread; await instead");
        }
        runningThread = Thread.currentThread();
        RUNNING.set(this);
        counters.runStarted();
        if (!observed) {
            observed = true;
            LoopObservers.started(this);
            LiveLoops.add(this); // for task dumps; not in the constructor, where a backend's part may yet fail
        }
    }

    private void exit() {
        RUNNING.remove();
        runningThread = null;
    }

    @Override
    public <T> T runUntilComplete(Future<T> future) {
        checkOpen();
        if (future.loop() != this) {
            throw new InvalidStateException("the future belongs to another event loop");
        }
        Consumer<Future<T>> stopWhenDone = f -> stopping = true;
        future.addDoneCallback(stopWhenDone);
        try {
            runForever();
        } finally {
            future.removeDoneCallback(stopWhenDone);
        }
        if (!future.isDone()) {
            throw new InvalidStateException("the event loop stopped before the future completed");
        }
        return future.result();
    }

    @Override
    public void stop() {
        if (inLoop()) {
            stopping = true;
        } else {
            callSoonThreadsafe(() -> stopping = true);
        }
    }

    /** One iteration: wait for I/O or the next deadline, then run what is ready now. */
    private void runOnce() {
        long timeout = 0;
        // Nothing to run, nothing submitted: wait. (A virtual clock jumps to the next timer here, so it must not while
        // a submission from another thread, such as a task's wake-up, is still to run.)
        if (ready.isEmpty() && submissions.isEmpty() && !stopping && !runWhenIdle()) {
            TimerHandle next = timers.next();
            timeout = clock.beforeWait(next == null ? -1 : Math.max(0, next.when() - clockNanos()));
        }
        // Something to run, or a submission came while the loop spun (unannounced: its submitter woke nobody): run it
        // now, and look at I/O only when that is due, since a look costs more than a task's hop or a hand-off.
        long now; // the real clock once I/O was looked at: one read an iteration, for ioDue and the timers both
        if (timeout == 0 || spin.spin(submissionArrived, timeout)) {
            now = System.nanoTime();
            if (ioDue(now)) {
                poll(0);
                now = System.nanoTime(); // the look dispatched I/O, for a while perhaps
            }
        } else {
            // Announce the wait before the last look at the submissions, so a submitter either sees `waiting` and
            // wakes us, or its submission is seen here.
            waiting.set(true);
            if (!submissions.isEmpty()) {
                timeout = 0;
            }
            long waitStart = System.nanoTime();
            poll(timeout);
            waiting.set(false);
            now = lastPollNanos = System.nanoTime();
            if (timeout != 0) {
                spin.waited(lastPollNanos - waitStart, !submissions.isEmpty());
            }
        }

        Runnable submitted;
        while ((submitted = submissions.poll()) != null) {
            ready.add(submitted);
        }
        LoopClock timersClock = clock;
        timers.moveDue(timersClock == LoopClock.SYSTEM ? now : timersClock.nanoTime(), ready);

        for (int n = ready.size(); n > 0; n--) {
            runCallback(ready.poll());
        }
    }

    /**
     * Whether an iteration with callbacks ready should look at I/O first. It does when {@link #POLL_INTERVAL_NANOS}
     * have passed since the last look: a look is a system call that costs more than a task's hop, so a loop busy with
     * callbacks (an await round trip, a channel hand-off) looks only that often and I/O waits at most that long.
     * Measured on the real clock, as the callbacks' run time is; a virtual clock stands still while they run. A read
     * of that clock is not free on a virtual machine (13% of a spawn-and-await's CPU samples when an iteration read it
     * twice): an iteration reads it once, for this and for its timers.
     */
    private boolean ioDue(long now) {
        if (now - lastPollNanos < POLL_INTERVAL_NANOS) {
            return false;
        }
        lastPollNanos = now;
        return true;
    }

    private void runCallback(Runnable callback) {
        counters.callbackRun();
        if (debug == null) {
            runStep(callback);
        } else {
            debug.runTimed(callback);
        }
    }

    void runStep(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            callExceptionHandler(new UnhandledError("exception in callback " + callback, t));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (runningThread != null) {
            throw new InvalidStateException("cannot close a running event loop; call stop() first");
        }
        try {
            finishPendingTasks();
            reportUnretrievedFailures();
        } finally {
            closed = true; // before removeAll: an addSignalHandler that comes after it sees it under the same lock
            LoopObservers.closed(this); // every loop, run or not, and after closed: what registers later is refused
            if (SignalSupport.available()) {
                SignalHandlers.removeAll(this);
            }
            blockingCalls.shutdown();
            LiveLoops.remove(this);
            debug = LoopDebug.loopClosing(debug);
            closeBackend();
            counters.allTransportsGone(); // the backend released them, with no callback left to count each one
        }
    }

    /**
     * Cancel the tasks still pending and run the loop until they have ended and every callback queued meanwhile has
     * run (their done-callbacks wake awaiters and complete CompletableFutures), so no task thread outlives the loop
     * and nothing queued is dropped. Bounded: a task that ignores cancellation is abandoned after 5 s, and said so.
     */
    private void finishPendingTasks() {
        if (nothingPending()) {
            return;
        }
        for (Task<?> task : liveTasks.snapshot()) {
            task.cancel("event loop closed");
        }
        // Only the grace period's end, read on the clock, cuts closing short; its timer just wakes the wait. A stop asked
        // while the loop was idle, or during the close, has no run to stop: it would drop the tasks' ends and what they
        // queue as they end.
        TimerHandle graceEnd = callLater(Duration.ofNanos(CLOSE_GRACE_NANOS), () -> { });
        enter();
        try {
            while (clockNanos() - graceEnd.when() < 0 && !nothingPending()) {
                runOnce();
                stopping = false;
            }
        } finally {
            stopping = false;
            exit();
            graceEnd.cancel();
        }
        if (!liveTasks.isEmpty()) {
            LOG.log(Level.ERROR, "weft: closed the " + backendName + " loop with tasks that ignored cancellation "
                    + "for 5 s; their threads are abandoned: " + liveTasks);
        }
    }

    private boolean nothingPending() {
        return liveTasks.isEmpty() && ready.isEmpty() && submissions.isEmpty() && !writesStillFlushing();
    }

    /**
     * Whether a transport closed gracefully still has writes the backend is handing to the kernel on threads of its own,
     * whose end comes back as a submission: closing the loop runs on for them, within its grace, so that what a task
     * wrote as it ended reaches the peer before the socket is closed. False for a backend that writes on the loop
     * thread, whose writes are in its ready queue. On the loop.
     */
    protected boolean writesStillFlushing() {
        return false;
    }

    private void reportUnretrievedFailures() {
        for (UnretrievedFailure failure : List.copyOf(unretrievedFailures)) {
            failure.report();
        }
        unretrievedFailures.clear();
    }

    /**
     * Whether {@link #spinForAnswer} would spin now: the caller is a carried task of this loop, nothing else is ready
     * to run, and spins pay. For a caller that must prepare something for the spin (a place to be answered in) and
     * would undo it at once if the spin did not happen.
     */
    public boolean wouldSpinForAnswer() {
        return mayAnswerSpin() && spin.wouldSpin();
    }

    private boolean mayAnswerSpin() {
        return taskMode == TaskMode.CARRIED && ready.isEmpty() && inLoop();
    }

    /**
     * For a carried task of this loop about to suspend until another thread answers it (a channel hand-off between
     * loops): spin instead until {@code answered} holds, while the loop has nothing else to run and only while such
     * spins pay — by the same rule and limit as the loop's own spin before it waits, which this spin stands in for.
     * When the answer comes within microseconds this is much cheaper than suspending: no freeze and thaw, no
     * submission to the loop, no wake-up. Returns whether the answer came; if not, the caller suspends as it would
     * have. False at once anywhere but in a carried task of this loop, or while callbacks are ready or a timer is due;
     * the spin ends when a submission comes, and by the next timer's deadline.
     */
    public boolean spinForAnswer(BooleanSupplier answered) {
        if (!mayAnswerSpin()) {
            return false; // not counted as a wait: a skipped spin is (SpinBeforeWait counts down its skips)
        }
        TimerHandle next = timers.next();
        long untilTimer = -1; // no timer: the spin's own limit only
        if (next != null && (untilTimer = next.when() - clockNanos()) <= 0) {
            return false; // a timer is due: let the loop run it
        }
        spin.spin(() -> answered.getAsBoolean() || !submissions.isEmpty(), untilTimer);
        return answered.getAsBoolean();
    }

    // ---- callbacks and timers

    @Override
    public Handle callSoon(Runnable callback) {
        checkConfined();
        checkOpen();
        Handle handle = debug == null ? new Handle(callback) : new TracedHandle(callback);
        ready.add(handle);
        return handle;
    }

    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        checkOpen();
        Handle handle = debug == null ? new Handle(callback) : new TracedHandle(callback);
        submit(handle);
        return handle;
    }

    @Override
    public void execute(Runnable command) {
        if (inLoop()) {
            checkOpen();
            ready.add(command);
        } else {
            submit(command);
        }
    }

    private void submit(Runnable command) {
        if (closed) {
            throw new RejectedExecutionException(new LoopClosedException(
                    "the " + backendName + " event loop is closed; cannot run " + command));
        }
        submissions.add(command);
        if (waiting.compareAndSet(true, false)) {
            wakeup();
        }
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callAt(clockNanos() + delay.toNanos(), callback);
    }

    @Override
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        checkConfined();
        checkOpen();
        TimerHandle timer = traced(new TimerHandle(this, deadlineNanos, timerSequence++, callback));
        timers.add(timer);
        return timer;
    }

    void timerCancelled() {
        timers.countCancelled();
    }

    /** Number of timers queued (FIFO and heap), cancelled ones included until purged; for tests of the purge. */
    public int timerCount() {
        return timers.size();
    }

    // ---- futures and tasks

    @Override
    public <T> Future<T> createFuture() {
        checkConfined();
        checkOpen();
        return new Future<>(this);
    }

    @Override
    public <T> Task<T> createTask(String name, Body<T, ?> body) {
        checkConfined();
        checkOpen();
        Task<T> task = new Task<>(this, name, ++taskCounter, body);
        liveTasks.add(task);
        counters.taskStarted();
        task.start();
        return task;
    }

    @Override
    public <T> CompletableFuture<T> submit(Body<T, ?> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        callSoonThreadsafe(() -> {
            Task<T> task = createTask(body);
            task.completeInto(result);
            result.whenComplete((v, e) -> {
                if (result.isCancelled()) {
                    execute(task::cancel);
                }
            });
        });
        return result;
    }

    @Override
    public <T> Future<T> wrap(CompletionStage<T> stage) {
        Future<T> future = new Future<>(this);
        stage.whenComplete((value, error) -> execute(() -> {
            if (future.isDone()) {
                return; // cancelled meanwhile
            }
            if (error == null) {
                future.setResult(value);
            } else {
                future.setException(Future.unwrap(error));
            }
        }));
        future.addDoneCallback(f -> {
            if (f.isCancelled() && stage instanceof java.util.concurrent.Future<?> source) {
                source.cancel(false);
            }
        });
        return future;
    }

    @Override
    public Set<Task<?>> allTasks() {
        checkConfined();
        return Collections.unmodifiableSet(new LinkedHashSet<>(liveTasks.snapshot()));
    }

    /** The loop's number in the process, as its {@code toString} shows it. */
    final int id() {
        return id;
    }

    /** The tasks that have not ended, oldest first; read off the loop only by a task dump of a loop that is blocked. */
    List<Task<?>> liveTaskList() {
        return liveTasks.snapshot();
    }

    Thread newTaskThread(Task<?> task, String name, Runnable body) {
        if (debug != null && taskMode == TaskMode.CARRIED) {
            return debug.carriedThread(task, name, body); // its steps named after the task
        }
        // A task without a name of its own runs on an unnamed thread: naming every one cost a string per spawn.
        return name == null ? unnamedTaskThreads.unstarted(body) : taskThreads.name(name).unstarted(body);
    }

    /** A baton task's next step: in debug mode, named after the task. */
    Runnable taskStep(Task<?> task, Runnable step) {
        return debug == null ? step : new TaskStep(task, step);
    }

    void taskDone(Task<?> task) {
        liveTasks.remove(task);
        counters.taskEnded();
    }

    /** Failures not yet retrieved from this loop's futures: reported at close at the latest. Thread-safe. */
    Set<UnretrievedFailure> unretrievedFailures() {
        return unretrievedFailures;
    }

    @Override
    public <T> Future<T> runInExecutor(Executor executor, Body<T, ?> call) {
        checkConfined();
        checkOpen();
        return wrap(blockingCalls.start(executor, call));
    }

    // ---- health

    @Override
    public LoopStats stats() {
        return counters.snapshot();
    }

    /** The counters behind {@link #stats()}, for a backend to count its I/O events and transports. Loop only. */
    public final LoopCounters counters() {
        return counters;
    }

    // ---- debug mode

    @Override
    public void setDebug(DebugMode mode) {
        checkConfined();
        checkOpen();
        debug = LoopDebug.switchTo(this, debug, mode);
    }

    @Override
    public DebugMode debugMode() {
        LoopDebug current = debug;
        return current == null ? null : current.mode;
    }

    /** This loop's debug mode, or null when it is off. */
    LoopDebug debug() {
        return debug;
    }

    /** Remember where a future, task or callback was created, in debug mode. */
    <R> R traced(R made) {
        if (debug != null) {
            debug.created(made);
        }
        return made;
    }

    Thread runningThread() {
        return runningThread;
    }

    // ---- signals

    @Override
    public void addSignalHandler(String signal, Runnable handler) {
        Objects.requireNonNull(handler, "handler");
        SignalSupport.checkAvailable("addSignalHandler");
        SignalHandlers.add(this, signal, handler); // checks that the loop is open, under the lock close() takes too
    }

    @Override
    public boolean removeSignalHandler(String signal) {
        return SignalSupport.available() && SignalHandlers.remove(this, signal);
    }

    // ---- errors

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    @Override
    public void callExceptionHandler(UnhandledError error) {
        ExceptionHandler handler = exceptionHandler;
        if (handler != null) {
            try {
                handler.handle(this, error);
                return;
            } catch (Throwable t) {
                error.exception().addSuppressed(t);
                LOG.log(Level.ERROR, "weft: the exception handler threw", t);
            }
        }
        LOG.log(Level.ERROR, "weft: " + error.message(), error.exception());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "#" + id + "[" + (closed ? "closed" : isRunning() ? "running" : "idle")
                + ", tasks=" + taskMode.name().toLowerCase(Locale.ROOT) + "]";
    }

}
