package dev.weft.loop;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
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
    private static final ThreadLocal<Task<?>> CURRENT = new ThreadLocal<>();
    /** The scoped-value bindings a task passes on to the tasks created under it (see {@link #inheritedBindings()}). */
    private static final ScopedValue<ScopedValue.Carrier> INHERITED = ScopedValue.newInstance();

    private final String name;
    private final Callable<T> body;
    private final Baton baton; // null when the task is carried by its loop
    private final Thread thread;
    private final ScopedValue.Carrier inherited; // captured where the task is created; null if none
    private volatile Future<?> waitingOn;
    private volatile boolean cancelRequested;
    private String cancelMessage;
    private int cancelRequests;

    Task(AbstractEventLoop loop, String name, Callable<T> body) {
        super(loop);
        this.name = name;
        this.body = Objects.requireNonNull(body, "body");
        this.baton = loop.taskMode() == TaskMode.BATON ? new Baton() : null;
        this.inherited = inheritedBindings();
        this.thread = loop.newTaskThread(name, this::run);
    }

    /** The task whose body is running on the calling thread, or null. */
    public static Task<?> currentOrNull() {
        return CURRENT.get();
    }

    public String name() {
        return name;
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
     * @throws Exception what the body throws
     */
    public static <R> R callInheriting(ScopedValue.Carrier bindings, Callable<R> body) throws Exception {
        return bindings.where(INHERITED, bindings).call(body::call);
    }

    void start() {
        thread.start(); // when carried, this queues the first step on the loop
        if (baton != null) {
            owner.execute(this::step);
        }
    }

    /** One step in baton mode: the loop thread lends the task its turn and waits for it back. */
    private void step() {
        baton.runTask(thread);
    }

    private void run() {
        CURRENT.set(this);
        if (baton != null) {
            baton.awaitTurn();
        }
        try {
            deliverCancellation();
            complete(SUCCESS, inherited == null ? body.call() : callInheriting(inherited, body));
        } catch (CancellationException e) {
            complete(CANCELLED, e);
        } catch (Throwable t) {
            complete(FAILURE, t);
        } finally {
            owner.taskDone(this);
            CURRENT.remove();
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
        deliverCancellation();
        if (!future.isDone()) {
            waitingOn = future;
            if (future.owner == owner) {
                future.addDoneCallback(new Waker());
            } else {
                future.owner.runConfined(() -> future.addDoneCallback(f -> owner.execute(() -> wake(f))));
            }
            if (baton == null) {
                while (waitingOn == future) {
                    LockSupport.park(this);
                }
            } else {
                baton.pass();
            }
            if (cancelRequested && future.isDone() && !future.isCancelled() && future.exception() != null) {
                // Cancelled after the future failed: its failure rides along, retrieved, instead of going unseen.
                CancellationException cancelled = cancellation();
                cancelled.addSuppressed(future.exception());
                throw cancelled;
            }
            deliverCancellation();
        }
        return future.result();
    }

    /**
     * The done-callback of an await. Its future runs it at completion rather than one loop iteration later, as
     * asyncio's wake-up does: all it does is queue the task's next step.
     */
    final class Waker implements Consumer<Future<?>> {
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
            owner.execute(this::step);
        }
    }

    private void deliverCancellation() {
        if (cancelRequested) {
            throw cancellation();
        }
    }

    private CancellationException cancellation() {
        cancelRequested = false;
        return new CancellationException(cancelMessage != null ? cancelMessage : "task " + name + " cancelled");
    }

    /**
     * Ask the task to stop: it sees a CancellationException at its next await. Returns false if already done.
     * Confined.
     */
    @Override
    public boolean cancel(String message) {
        owner.checkConfined();
        if (isDone()) {
            return false;
        }
        if (message != null) {
            cancelMessage = message; // a later cancel() without a message keeps the earlier reason
        }
        cancelRequests++;
        Future<?> awaited = waitingOn;
        if (awaited != null && awaited.owner == owner && awaited.cancel(message)) {
            return true; // the task wakes to the awaited future's CancellationException
        }
        cancelRequested = true;
        if (awaited != null) {
            wake(awaited);
        }
        return true;
    }

    /**
     * How many cancellations were requested and not taken back with {@link #uncancel()}: as asyncio's
     * {@code Task.cancelling()}, what lets a timeout tell its own cancellation from one that came from outside.
     * Confined.
     */
    public int cancelling() {
        owner.checkConfined();
        return cancelRequests;
    }

    /**
     * Take back one cancellation request, once its CancellationException has been handled (by a timeout turning it
     * into a timeout error, say); returns the requests left. A pending request not yet delivered is withdrawn when
     * none are left. Confined.
     */
    public int uncancel() {
        owner.checkConfined();
        if (cancelRequests > 0 && --cancelRequests == 0) {
            cancelRequested = false;
        }
        return cancelRequests;
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
        return "Task[" + name + ", " + describeState() + "]";
    }
}
