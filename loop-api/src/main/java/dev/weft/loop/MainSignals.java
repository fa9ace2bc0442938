package dev.weft.loop;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@link Loops#run} does with SIGINT and SIGTERM, as asyncio's {@code run} does with Ctrl-C: the first one cancels
 * the main task, so its {@code finally} blocks, task groups and timeouts unwind; once main has ended and the loop is
 * closed, {@code run} throws a {@link SignalCancellationException}, and a thread it starts just before ends the process
 * with 128 + the signal's number (130, 143) once the caller's thread has ended. A second signal while main unwinds
 * halts the process at once with its status.
 *
 * <p>Why not exit from {@code run} itself: {@code System.exit} on the caller's stack skips the caller's own
 * {@code finally} blocks, and a shutdown hook that joins the main thread (a common graceful-shutdown pattern) would
 * wait for the thread that waits for the hooks — for ever, with the JVM's signal handling blocked by the shutdown.
 * Exiting after the caller's thread has ended leaves nothing for such a hook to wait for. Why halt on the second
 * signal: the hooks may be what hangs, and the JVM's own handler would run them again.
 *
 * <p>Only the first {@code Loops.run} active in the process takes the signals (others, on other threads, run as if
 * {@code -Dweft.signals=false}), and it puts the handlers it replaced back just before it returns or throws. A loop's
 * own handler for SIGINT or SIGTERM ({@link EventLoop#addSignalHandler}) takes precedence over the cancellation. The
 * JVM gives Java no handler for a signal ignored when it started (a background job of a non-interactive shell ignores
 * SIGINT; nohup ignores SIGHUP) nor, with {@code -Xrs}, for SIGINT and SIGTERM at all: Weft then leaves them as they
 * are. Reached only through {@link SignalSupport}: this class needs {@code jdk.unsupported}.
 */
final class MainSignals implements SignalHandler {
    private static final System.Logger LOG = System.getLogger("dev.weft.loop");
    private static final List<String> SIGNALS = List.of("INT", "TERM");
    private static final AtomicBoolean TAKEN = new AtomicBoolean(); // by the first active Loops.run

    private final EventLoop loop;
    private final Task<?> main;
    private final AtomicReference<Signal> received = new AtomicReference<>();

    private MainSignals(EventLoop loop, Task<?> main) {
        this.loop = loop;
        this.main = main;
    }

    /**
     * Run the loop until main completes, close it, and return main's result or throw its failure, as
     * {@link EventLoop#runUntilComplete}; with SIGINT and SIGTERM cancelling main meanwhile.
     *
     * @throws SignalCancellationException once the loop is closed, if a signal came while it ran
     */
    static <T> T runAndClose(EventLoop loop, Task<T> main) {
        if (!TAKEN.compareAndSet(false, true)) {
            try (loop) {
                return loop.runUntilComplete(main);
            }
        }
        MainSignals signals = new MainSignals(loop, main);
        try {
            T result;
            try (loop) { // closed with the handlers in place, so a second signal halts while the tasks unwind
                signals.install();
                result = loop.runUntilComplete(main);
            } catch (Throwable failure) {
                signals.throwIfSignalled(failure);
                throw failure;
            }
            signals.throwIfSignalled(null);
            return result;
        } finally {
            signals.uninstall(); // done already if a signal came; idempotent
            TAKEN.set(false);
        }
    }

    private void install() {
        for (String name : SIGNALS) {
            if (!SignalHandlers.setFallback(name, this)) {
                LOG.log(Level.DEBUG, () -> "weft: SIG" + name + " does not reach Java in this JVM (ignored since it "
                        + "started, as in a background job, or -Xrs): Loops.run leaves it as it is");
            }
        }
    }

    private void uninstall() {
        for (String name : SIGNALS) {
            SignalHandlers.clearFallback(name, this);
        }
    }

    /** On the JVM's signal thread: the first signal cancels main, a second halts the process at once. */
    @Override
    public void handle(Signal signal) {
        Signal first = received.compareAndExchange(null, signal);
        if (first != null) {
            int status = exitStatus(signal);
            System.err.println("weft: SIG" + signal.getName() + " while unwinding after SIG" + first.getName()
                    + ": exiting at once with status " + status + ", without the shutdown hooks");
            System.err.flush();
            Runtime.getRuntime().halt(status);
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> main.cancel(SignalCancellationException.message("SIG" + signal.getName())));
        } catch (LoopClosedException | RejectedExecutionException closed) {
            // main has ended and the loop is closed: run throws the cancellation next
        }
    }

    /**
     * If a signal came, put the replaced handlers back, arrange the exit, and throw the signal's cancellation, with
     * a failure of main (or of closing the loop) other than the cancellation attached as suppressed.
     */
    private void throwIfSignalled(Throwable failure) {
        uninstall(); // first, so that a signal coming meanwhile is seen below rather than lost
        Signal signal = received.get();
        if (signal == null) {
            return;
        }
        SignalCancellationException cancelled =
                new SignalCancellationException("SIG" + signal.getName(), exitStatus(signal));
        Throwable own = failure; // null, main's failure as runUntilComplete wraps it, or the loop's close() failing
        if (failure instanceof CompletionException && main.isDone() && !main.isCancelled()
                && failure.getCause() == main.exception()) {
            own = failure.getCause();
        }
        if (own != null && !(own instanceof CancellationException)) {
            cancelled.addSuppressed(own);
        }
        exitWhenCallerEnds(cancelled);
        throw cancelled;
    }

    /**
     * Start the thread that ends the process with the signal's status once the calling thread has ended: after the
     * caller's {@code finally} blocks, and before any shutdown hook, so a hook that joins the caller cannot wait for
     * it in vain.
     */
    private static void exitWhenCallerEnds(SignalCancellationException cancelled) {
        Thread caller = Thread.currentThread();
        Thread.ofPlatform().daemon(false).name("weft-exit-after-" + cancelled.signal()).start(() -> {
            boolean joined = false;
            while (!joined) {
                try {
                    caller.join();
                    joined = true;
                } catch (InterruptedException e) {
                    // nobody but the JVM should interrupt this thread; the exit still waits for the caller
                }
            }
            System.exit(cancelled.exitStatus());
        });
    }

    /** The status a shell reports for a process the signal ended: 128 + its number. */
    private static int exitStatus(Signal signal) {
        return 128 + signal.getNumber();
    }
}
