package dev.weft.loop;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The eventual result of an operation on a loop, as in asyncio: pending, then done with a value, a failure, or
 * cancelled. Completing it and adding callbacks are confined to its loop; reading its state is thread-safe.
 * Callbacks run on the loop, scheduled with {@link EventLoop#callSoon}, in the order they were added.
 *
 * <p>A failure that nobody retrieves (by {@link #result()}, {@link #exception()}, {@link #outcome()} or
 * {@link #await()}) before the loop closes goes to the loop's exception handler: it never vanishes.
 */
public class Future<T> {
    static final int PENDING = 0;
    static final int SUCCESS = 1;
    static final int FAILURE = 2;
    static final int CANCELLED = 3;

    final AbstractEventLoop owner;
    private volatile int state = PENDING;
    private Object result; // the value, the failure, or the CancellationException; written before state
    private Object callbacks; // null, one Consumer, or a Callbacks list: most futures have one awaiter, kept bare
    private UnretrievedFailure unretrieved; // set with a failure, until someone reads it

    Future(AbstractEventLoop owner) {
        this.owner = owner;
        owner.traced(this);
    }

    /** The loop this future belongs to. */
    public EventLoop loop() {
        return owner;
    }

    // ---- state

    public boolean isDone() {
        return state != PENDING;
    }

    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * The value. Thread-safe.
     *
     * @throws InvalidStateException if not done
     * @throws CancellationException if cancelled
     * @throws RuntimeException      the failure itself if unchecked; a checked one wrapped in CompletionException
     */
    @SuppressWarnings("unchecked")
    public T result() {
        return switch (state) {
            case SUCCESS -> (T) result;
            case FAILURE -> throw propagate(retrieveFailure());
            case CANCELLED -> throw (CancellationException) result;
            default -> throw new InvalidStateException("the result is not ready: " + this);
        };
    }

    /**
     * The failure, or null if it succeeded. Thread-safe.
     *
     * @throws InvalidStateException if not done
     * @throws CancellationException if cancelled
     */
    public Throwable exception() {
        return switch (state) {
            case SUCCESS -> null;
            case FAILURE -> retrieveFailure();
            case CANCELLED -> throw (CancellationException) result;
            default -> throw new InvalidStateException("the exception is not set: " + this);
        };
    }

    /**
     * How it ended, as a value. Thread-safe.
     *
     * @throws InvalidStateException if not done
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> outcome() {
        return switch (state) {
            case SUCCESS -> new Outcome.Success<>((T) result);
            case FAILURE -> new Outcome.Failure<>(retrieveFailure());
            case CANCELLED -> new Outcome.Cancelled<>((CancellationException) result);
            default -> throw new InvalidStateException("no outcome yet: " + this);
        };
    }

    private Throwable retrieveFailure() {
        unretrieved.retrieved();
        return (Throwable) result;
    }

    // ---- completion (confined)

    /**
     * Mark done with a value and schedule the callbacks. Confined.
     *
     * @throws InvalidStateException if already done
     */
    public void setResult(T value) {
        owner.checkConfined();
        complete(SUCCESS, value);
    }

    /**
     * Mark done with a failure and schedule the callbacks; a CancellationException cancels instead. Confined.
     *
     * @throws InvalidStateException if already done
     */
    public void setException(Throwable error) {
        owner.checkConfined();
        if (error instanceof CancellationException cancellation) {
            complete(CANCELLED, cancellation);
        } else {
            complete(FAILURE, Objects.requireNonNull(error, "error"));
        }
    }

    /** Cancel if pending and schedule the callbacks; returns whether it was cancelled by this call. Confined. */
    public boolean cancel() {
        return cancel(null);
    }

    /** {@link #cancel()} with a message for the CancellationException. Confined. */
    public boolean cancel(String message) {
        owner.checkConfined();
        if (isDone()) {
            return false;
        }
        complete(CANCELLED, new CancellationException(message != null ? message : "cancelled"));
        return true;
    }

    final void complete(int outcome, Object value) {
        if (state != PENDING) {
            throw new InvalidStateException("already done: " + this);
        }
        result = value;
        if (outcome == FAILURE) {
            unretrieved = UnretrievedFailure.track(this, (Throwable) value);
        }
        state = outcome;
        Object toRun = callbacks;
        callbacks = null;
        if (toRun instanceof Callbacks list) {
            for (Consumer<?> callback : list) {
                schedule(callback);
            }
        } else if (toRun != null) {
            schedule((Consumer<?>) toRun);
        }
    }

    @SuppressWarnings("unchecked")
    private void schedule(Consumer<?> callback) {
        Consumer<? super Future<T>> typed = (Consumer<? super Future<T>>) callback;
        if (typed instanceof Task.Steps task) {
            task.accept(this); // only queues the task's next step: no user code runs inline
        } else {
            owner.execute(() -> typed.accept(this));
        }
    }

    /** Two or more callbacks of one future, in the order they were added. */
    private static final class Callbacks extends ArrayList<Consumer<?>> {
    }

    // ---- callbacks (confined)

    /** Run the callback on the loop once done; if already done, soon. Confined. */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        owner.checkConfined();
        if (isDone()) {
            owner.execute(() -> callback.accept(this));
            return;
        }
        if (callbacks == null) {
            callbacks = callback;
        } else if (callbacks instanceof Callbacks list) {
            list.add(callback);
        } else {
            Callbacks list = new Callbacks();
            list.add((Consumer<?>) callbacks);
            list.add(callback);
            callbacks = list;
        }
    }

    /** Remove every registration of the callback; returns how many were removed. Confined. */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        owner.checkConfined();
        if (callbacks instanceof Callbacks list) {
            int before = list.size();
            list.removeIf(c -> c == callback);
            return before - list.size();
        }
        if (callbacks == callback) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    // ---- await and interop

    /**
     * Wait for the result: inside a task this suspends the task, not the loop; from a thread that runs no loop it
     * blocks that thread; on a loop thread outside a task it fails at once.
     *
     * @throws BlockingOnLoopException on a loop thread outside a task
     * @throws CancellationException   if this future was cancelled, or the awaiting task was
     */
    public T await() {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return task.suspendOn(this);
        }
        if (AbstractEventLoop.onLoopThread()) {
            throw new BlockingOnLoopException("await()");
        }
        return awaitBlocking();
    }

    /**
     * {@link #await()}, but a failure of the given type is thrown as itself, declared, instead of in the
     * CompletionException that carries checked failures out of {@code await()}; as Guava's {@code getChecked}:
     * {@code boolean open = probe.awaitChecked(IOException.class);}. Other failures are thrown as {@code await()}
     * throws them.
     *
     * @throws E the future's failure, if it is one of these
     */
    public <E extends Exception> T awaitChecked(Class<E> failureType) throws E {
        Objects.requireNonNull(failureType, "failureType");
        try {
            return await();
        } catch (CompletionException wrapper) {
            Throwable cause = wrapper.getCause();
            if (state == FAILURE && cause == result && failureType.isInstance(cause)) {
                throw failureType.cast(cause);
            }
            throw wrapper;
        }
    }

    private T awaitBlocking() {
        if (!isDone()) {
            Thread waiter = Thread.currentThread();
            try {
                // Through the loop's queue even when it is idle: whoever starts it may be adding callbacks too.
                owner.execute(() -> addDoneCallback(f -> LockSupport.unpark(waiter)));
            } catch (RejectedExecutionException e) {
                throw new LoopClosedException("cannot await " + this + ": its event loop is closed");
            }
            while (!isDone()) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new CancellationException("interrupted while awaiting " + this);
                }
            }
        }
        return result();
    }

    /** A CompletableFuture that completes with this future; cancelling it cancels this one. Thread-safe. */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> target = new CompletableFuture<>();
        owner.runConfined(() -> completeInto(target));
        target.whenComplete((v, e) -> {
            if (target.isCancelled()) {
                owner.execute(this::cancel);
            }
        });
        return target;
    }

    /** Complete the target with this future's outcome when done. Confined. */
    final void completeInto(CompletableFuture<T> target) {
        addDoneCallback(f -> {
            switch (f.outcome()) {
                case Outcome.Success<T>(T value) -> target.complete(value);
                case Outcome.Failure<T>(Throwable error) -> target.completeExceptionally(error);
                case Outcome.Cancelled<T>(CancellationException cause) -> target.cancel(false);
            }
        });
    }

    /** The throwable to throw for a failure: unchecked as it is, checked wrapped in CompletionException. */
    static RuntimeException propagate(Throwable error) {
        if (error instanceof RuntimeException unchecked) {
            return unchecked;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        return new CompletionException(error);
    }

    /**
     * Strip the wrappers that executors and CompletableFuture put around a failure: exactly those classes, so that a
     * subclass that carries more (a TaskGroup's ChildFailedException and its suppressed failures) arrives whole.
     */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (isPlainWrapper(t) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static boolean isPlainWrapper(Throwable t) {
        return t.getClass() == CompletionException.class || t.getClass() == ExecutionException.class;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeState() + "]";
    }

    final String describeState() {
        return switch (state) {
            case PENDING -> "pending";
            case SUCCESS -> "result=" + result;
            case FAILURE -> "failed: " + result;
            default -> "cancelled";
        };
    }
}
