package dev.weft.channel;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.TimerHandle;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * One suspended send, receive or select: a task or a thread waiting until another side completes it. Its result is
 * set once, by a compare-and-set from null, so of everyone who may complete it — the other side of any channel it is
 * queued on, a future it selects on, its timer, its own cancellation — exactly one wins: this is what makes a select
 * take from or give to exactly one channel, and a cancelled wait take nothing.
 *
 * <p>How it waits depends on the caller. A task awaits a future of its own loop, so it suspends and its loop runs on;
 * a completer on another thread hands the wake-up to that loop ({@link EventLoop#execute}), since the future is
 * confined to it. A thread that runs no loop (a plain or virtual thread) parks. A loop thread outside a task may not
 * wait at all: that would stop the loop that has to wake it.
 */
final class Waiter implements Runnable {
    /** The result of a waiter that gave up (its task was cancelled, its thread interrupted) before it was completed. */
    static final Object GAVE_UP = new Object();

    /** Timeouts beyond this (about 146 years, as for a Timeout) mean none: no deadline arithmetic overflows. */
    private static final Duration NEVER = Duration.ofNanos(1L << 62);
    private static final VarHandle RESULT;
    private static final VarHandle PHASE;
    /** A task's phases: it spins for the result first, then suspends unless the result came (WOKEN: without a wake). */
    private static final int SPINNING = 0;
    private static final int SUSPENDED = 1;
    private static final int WOKEN = 2;

    static {
        try {
            RESULT = MethodHandles.lookup().findVarHandle(Waiter.class, "result", Object.class);
            PHASE = MethodHandles.lookup().findVarHandle(Waiter.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object result;
    private volatile int phase; // a task's: SPINNING, SUSPENDED or WOKEN
    private final EventLoop loop;      // the waiting task's loop, or null for a thread
    private Future<Void> signal;       // completed on that loop to resume the task; made when it suspends
    private final Thread thread;       // the waiting thread, when it is no task

    private Waiter(EventLoop loop, Thread thread) {
        this.loop = loop;
        this.thread = thread;
    }

    /**
     * A waiter for the calling task or thread.
     *
     * @param call what has to wait, for the message: {@code "Channel.receive()"}
     * @throws BlockingOnLoopException on a loop thread outside a task
     */
    static Waiter forCaller(String call) {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return new Waiter(task.loop(), null);
        }
        if (EventLoop.currentOrNull() != null) {
            throw new BlockingOnLoopException(call + " has to wait, and waiting", "call it inside a task "
                    + "(Tasks.spawn / EventLoop.createTask), or use trySend/tryReceive, which never wait");
        }
        return new Waiter(null, Thread.currentThread());
    }

    /**
     * The loop of the calling task if it would spin there for an answer now ({@link AbstractEventLoop#spinForAnswer}):
     * a task carried by its loop's thread, with nothing else ready; null otherwise.
     */
    static AbstractEventLoop spinningLoop() {
        Task<?> task = Task.currentOrNull();
        return task != null && task.loop() instanceof AbstractEventLoop loop && loop.wouldSpinForAnswer() ? loop : null;
    }

    /**
     * Set the result if none is set yet; false if someone else completed it first. The caller then {@link #wake}s it,
     * once it holds no channel lock: waking may take the waiting loop's locks or make a system call.
     */
    boolean claim(Object value) {
        return RESULT.compareAndSet(this, null, value);
    }

    /** Claim and wake, for a completer that holds no channel lock: a future's callback, the timer. */
    boolean complete(Object value) {
        if (!claim(value)) {
            return false;
        }
        wake();
        return true;
    }

    /** Wake the waiter after a successful {@link #claim}: unpark the thread, or resume the task on its loop. */
    void wake() {
        if (thread != null) {
            LockSupport.unpark(thread);
        } else if (PHASE.compareAndSet(this, SPINNING, WOKEN)) {
            return; // the task spins on its loop, and sees the result without help
        } else if (loop.inLoop()) {
            run();
        } else {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException closed) {
                // the task's loop is closed, and the task with it: nobody to wake, and the next waiter must still be
            }
        }
    }

    private boolean woken() {
        return phase == WOKEN;
    }

    /** On the task's loop: resume the task. */
    @Override
    public void run() {
        if (!signal.isDone()) { // cancelled meanwhile: the task resumes on its own, and finds the result set
            signal.setResult(null);
        }
    }

    /**
     * Wait until completed and return the result. If the wait is cancelled (the task cancelled, the thread
     * interrupted) before anyone completed it, the waiter gives up and a CancellationException is thrown; if it was
     * completed first, its result is returned and the cancellation stands (a task's next wait throws it; a thread
     * keeps its interrupt flag).
     *
     * @param timeout  how long at most (beyond about 146 years: no limit), or null for no limit; the waiter is then
     *                 completed with {@code onTimeout}
     * @param onTimeout the result to complete it with when the timeout expires
     */
    Object await(Duration timeout, Object onTimeout) {
        Duration limit = timeout == null || timeout.compareTo(NEVER) > 0 ? null : timeout;
        return thread != null ? park(limit, onTimeout) : suspend(limit, onTimeout);
    }

    private Object suspend(Duration timeout, Object onTimeout) {
        // The spin watches the phase, not the result: a completer sets the result under the channel's lock and the
        // phase after letting it go, so a waiter that went on at once would reach for a lock still held (issue 15:
        // 9 in 10 did, and the lock's line crossed cores twice more per hand-off).
        if (timeout == null && loop instanceof AbstractEventLoop spinner && spinner.spinForAnswer(this::woken)) {
            return result; // the completer saw the waiter still spinning, and woke nobody
        }
        signal = loop.createFuture(); // not before: a spin that got its answer needs none (published by the CAS)
        if (!PHASE.compareAndSet(this, SPINNING, SUSPENDED)) {
            return result; // answered as the spin ended, by a completer that saw it spinning and woke nobody
        }
        TimerHandle timer = timeout == null ? null : loop.callLater(timeout, () -> complete(onTimeout));
        try {
            signal.await();
        } catch (CancellationException cancelled) {
            if (RESULT.compareAndSet(this, null, GAVE_UP)) {
                throw cancelled;
            }
            // completed before the cancellation landed: what was handed over stays handed over
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
        return result;
    }

    private Object park(Duration timeout, Object onTimeout) {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        while (result == null) {
            if (timeout == null) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    claim(onTimeout); // nobody to wake: this thread is awake
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt(); // the flag stays for the caller to see
                if (RESULT.compareAndSet(this, null, GAVE_UP)) {
                    throw new CancellationException("thread '" + Thread.currentThread().getName()
                            + "' was interrupted while waiting on a channel");
                }
            }
        }
        return result;
    }
}
