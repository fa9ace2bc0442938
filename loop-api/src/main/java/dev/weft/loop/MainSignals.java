package dev.weft.loop;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@link Loops#run} does with SIGINT and SIGTERM, as asyncio's {@code run} does with Ctrl-C: the first one cancels
 * the main task, so its {@code finally} blocks, task groups and timeouts unwind; once main has ended and the loop is
 * closed, the process exits with 128 + the signal's number, the status it would have had without Weft (130, 143), with
 * the shutdown hooks run. A second one while unwinding exits at once with its status, as the JVM's own handler does.
 *
 * <p>Only the first {@code Loops.run} active in the process takes the signals (others, on other threads, run as if
 * {@code -Dweft.signals=false}), and it puts the JVM's handlers back when it returns. A loop's own handler for SIGINT
 * or SIGTERM ({@link EventLoop#addSignalHandler}) takes precedence over the cancellation. The JVM gives Java no
 * handler for a signal ignored when it started (a background job of a non-interactive shell ignores SIGINT; nohup
 * ignores SIGHUP) nor, with {@code -Xrs}, for SIGINT and SIGTERM at all: Weft then leaves them as they are.
 */
final class MainSignals implements SignalHandler {
    /** {@code -Dweft.signals=false}: leave SIGINT and SIGTERM to the JVM, for applications that handle them. */
    static final String PROPERTY = "weft.signals";
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
     * {@link EventLoop#runUntilComplete}; with SIGINT and SIGTERM cancelling main meanwhile. After a signal it exits
     * the process once the loop is closed, and does not return.
     */
    static <T> T runAndClose(EventLoop loop, Task<T> main) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true").strip())
                || !TAKEN.compareAndSet(false, true)) {
            try (loop) {
                return loop.runUntilComplete(main);
            }
        }
        MainSignals signals = new MainSignals(loop, main);
        try (loop) { // closed with the handlers still in place, so a second signal exits at once while tasks unwind
            signals.install();
            return loop.runUntilComplete(main);
        } finally {
            signals.uninstall();
            TAKEN.set(false);
            signals.exitIfSignalled();
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

    /** On the JVM's signal thread: the first signal cancels main, a second exits at once. */
    @Override
    public void handle(Signal signal) {
        if (!received.compareAndSet(null, signal)) {
            Runtime.getRuntime().exit(exitStatus(signal));
        }
        String message = "cancelled by SIG" + signal.getName() + (signal.getName().equals("INT") ? " (Ctrl-C)" : "");
        try {
            loop.callSoonThreadsafe(() -> main.cancel(message));
        } catch (LoopClosedException | RejectedExecutionException closed) {
            // main has ended and the loop is closed: the exit follows
        }
    }

    /** End the process as the signal would have, once the loop is closed; a failure other than the cancellation is logged. */
    private void exitIfSignalled() {
        Signal signal = received.get();
        if (signal == null) {
            return;
        }
        if (main.isDone() && !main.isCancelled() && main.exception() != null
                && !(main.exception() instanceof CancellationException)) {
            LOG.log(Level.ERROR, "weft: the main task failed while it unwound after SIG" + signal.getName(),
                    main.exception());
        }
        Runtime.getRuntime().exit(exitStatus(signal));
    }

    /** The status a shell reports for a process the signal ended: 128 + its number. */
    private static int exitStatus(Signal signal) {
        return 128 + signal.getNumber();
    }
}
