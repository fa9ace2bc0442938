package dev.weft.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * N loops of one backend, each running on a platform thread of its own: how a process uses more than one core. A loop
 * stays single-threaded (the {@linkplain dev.weft.loop threading contract} holds for each); the group spreads work
 * over them — tasks with {@link #next()} and {@link #submit}, connections with {@code dev.weft.net.GroupServer}.
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.perCore()) {
 *     GroupServer server = GroupServer.listen(group, address, EchoProtocol::new, SocketOptions.DEFAULTS);
 *     ...
 * }
 * }</pre>
 *
 * <p>The loop threads are named {@code weft-BACKEND-INDEX} and are not daemons: like any server, a group keeps the
 * JVM alive until it is closed. Each thread runs {@link EventLoop#runForever()} and, when it returns, closes its own
 * loop, so the loop's pending tasks are cancelled and its sockets released on the loop's own thread.
 *
 * <p><b>Errors on a loop thread.</b> A callback's or task's exception never leaves its loop: the loop's
 * {@linkplain EventLoop#setExceptionHandler exception handler} gets it, as on any loop. Should {@code runForever} or
 * {@code close} itself throw (a backend's multiplexer failed), the thread hands that error to the same handler, closes
 * the loop if it can, and ends; the other loops serve on, and {@link #next()} may then return the closed loop, whose
 * submissions fail with {@link LoopClosedException}. Nothing is rethrown from {@link #close()}: the handler (which
 * logs by default) has seen it already, when it happened.
 *
 * <p>Every method is thread-safe.
 */
public final class LoopGroup implements AutoCloseable {
    private final String backendName;
    private final List<EventLoop> loops;
    private final List<Thread> threads;
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicInteger running;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private LoopGroup(List<EventLoop> loops) {
        this.loops = List.copyOf(loops);
        this.backendName = loops.getFirst().backendName();
        this.running = new AtomicInteger(loops.size());
        List<Thread> started = new ArrayList<>(loops.size());
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            started.add(Thread.ofPlatform().name("weft-" + backendName + "-" + i).unstarted(() -> serve(loop)));
        }
        this.threads = List.copyOf(started);
        threads.forEach(Thread::start);
    }

    /** A group of {@code size} loops of the backend the {@linkplain Loops#chosenProvider() policy chooses}. */
    public static LoopGroup open(int size) {
        checkSize(size);
        return open(size, Loops.chosenProvider()::newLoop);
    }

    /** One loop per core ({@link Runtime#availableProcessors()}) from the policy's backend. */
    public static LoopGroup perCore() {
        return open(Runtime.getRuntime().availableProcessors());
    }

    /**
     * A group of {@code size} loops from the factory, which must make new, idle loops of one backend; the group owns
     * them from now on and closes them when it closes (or here, if it cannot be made).
     *
     * @throws IllegalArgumentException if size is below 1, or the factory makes loops of more than one backend
     */
    public static LoopGroup open(int size, Supplier<? extends EventLoop> factory) {
        checkSize(size);
        Objects.requireNonNull(factory, "factory");
        List<EventLoop> made = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                EventLoop loop = Objects.requireNonNull(factory.get(), "the loop factory returned null");
                if (made.stream().anyMatch(earlier -> earlier == loop)) {
                    throw new IllegalArgumentException("the loop factory returned " + loop + " twice; a group needs "
                            + "a new loop for each of its threads");
                }
                made.add(loop);
                if (!loop.backendName().equals(made.getFirst().backendName())) {
                    throw new IllegalArgumentException("a loop group runs loops of one backend, but the factory made "
                            + made.getFirst().backendName() + " and " + loop.backendName()
                            + " loops; give each backend a group of its own");
                }
            }
        } catch (RuntimeException | Error e) {
            for (EventLoop loop : made) {
                try {
                    loop.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new LoopGroup(made);
    }

    private static void checkSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a loop group needs at least one loop, not " + size);
        }
    }

    /** The body of a loop thread: run the loop until stopped, then close it here, on its own thread. */
    private void serve(EventLoop loop) {
        try {
            loop.runForever();
        } catch (Throwable t) {
            died(loop, "stopped with an error; the loop is closed and the group's other loops serve on", t);
        } finally {
            try {
                loop.close();
            } catch (Throwable t) {
                died(loop, "failed to close", t);
            }
            if (running.decrementAndGet() == 0) {
                closed.complete(null);
            }
        }
    }

    private static void died(EventLoop loop, String what, Throwable error) {
        try {
            loop.callExceptionHandler(new UnhandledError("loop thread '" + Thread.currentThread().getName() + "': "
                    + loop + " " + what, error));
        } catch (Throwable handlerFailed) {
            error.addSuppressed(handlerFailed);
            System.getLogger("dev.weft.loop").log(System.Logger.Level.ERROR, "weft: " + loop + " " + what, error);
        }
    }

    // ---- the loops

    /** How many loops the group has. */
    public int size() {
        return loops.size();
    }

    /** The loops, in index order; still readable after close (they are closed then). */
    public List<EventLoop> loops() {
        return loops;
    }

    /** The name of the backend every loop of the group runs. */
    public String backendName() {
        return backendName;
    }

    /** The name of the platform thread that runs loop {@code index}: {@code weft-BACKEND-INDEX}. */
    public String threadName(int index) {
        return threads.get(index).getName();
    }

    /** The index of the loop in this group, or -1 if it is not one of the group's. */
    public int indexOf(EventLoop loop) {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i) == loop) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The next loop, round-robin over the group.
     *
     * @throws LoopClosedException if the group is closed
     */
    public EventLoop next() {
        checkOpen("next()");
        return loops.get(Math.floorMod(cursor.getAndIncrement(), loops.size()));
    }

    /**
     * Start a task on the {@linkplain #next() next} loop; the returned future completes with the task.
     *
     * @throws LoopClosedException if the group is closed
     */
    public <T> CompletableFuture<T> submit(Body<T, ?> body) {
        Objects.requireNonNull(body, "body");
        return next().submit(body);
    }

    /** {@link #submit(Body)} for a body without a value. @throws LoopClosedException if the group is closed */
    public CompletableFuture<Void> submit(VoidBody<?> body) {
        return submit(body.returningNull());
    }

    // ---- closing

    /**
     * Stop every loop, wait for each thread to close its loop and end, then return. Idempotent: a second call waits
     * for the first to finish. Called from one of the group's own loops (a task or callback on it), it cannot wait for
     * its own thread: it stops the loops and returns, and {@link #closed()} tells when they are closed.
     */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            for (EventLoop loop : loops) {
                try {
                    loop.stop();
                } catch (LoopClosedException | RejectedExecutionException alreadyClosed) {
                    // its thread died and closed it: nothing to stop
                }
            }
        }
        if (!onGroupThread()) {
            awaitThreads();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closing.get();
    }

    /** Completes once every loop of the group is closed and its thread has ended. */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    private boolean onGroupThread() {
        EventLoop current = EventLoop.currentOrNull();
        return (current != null && indexOf(current) >= 0) || threads.contains(Thread.currentThread());
    }

    /** Join every loop thread; an interrupt does not cut the wait short (the loops are half closed), it is kept. */
    private void awaitThreads() {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        closed.join(); // done with the last thread's end; joined for the happens-before edge
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen(String operation) {
        if (closing.get()) {
            throw new LoopClosedException("the loop group of " + loops.size() + " " + backendName
                    + " loops is closed; " + operation + " needs an open group");
        }
    }

    @Override
    public String toString() {
        return "LoopGroup[" + loops.size() + " x " + backendName + (closing.get() ? ", closed" : "") + "]";
    }
}
