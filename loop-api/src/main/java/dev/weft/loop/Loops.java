package dev.weft.loop;

import dev.weft.dump.LoopDump;
import dev.weft.dump.TaskDump;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The entry point, as asyncio's {@code run}: discovers the installed backends, asks the policy which to use, and runs
 * a main task on a fresh loop.
 *
 * <pre>{@code
 * String r = Loops.run(() -> {
 *     Task<String> a = Tasks.spawn(() -> { Async.sleep(Duration.ofMillis(50)); return "a"; });
 *     Task<String> b = Tasks.spawn(() -> "b");
 *     return a.await() + b.await();
 * });
 * }</pre>
 *
 * <h2>Ctrl-C and SIGTERM</h2>
 * While {@code run} runs, SIGINT and SIGTERM cancel the main task ("cancelled by SIGINT (Ctrl-C)"), so its
 * {@code finally} blocks, task groups and timeouts unwind as for any cancellation. When main has ended and the loop is
 * closed, {@code run} throws a {@link SignalCancellationException} — even if main caught its cancellation and
 * returned — whose {@link SignalCancellationException#exitStatus() exitStatus()} is what the signal would have given the
 * process without Weft: 128 + its number, <b>130</b> for SIGINT and <b>143</b> for SIGTERM. A failure of main other
 * than the cancellation is attached to it as suppressed.
 * <ul>
 *   <li>The process still ends with that status: just before throwing, {@code run} starts a thread
 *       ({@code weft-exit-after-SIGINT}) that waits for the thread that called {@code run} to end, then calls
 *       {@link System#exit}. So a plain {@code public static void main(...) { Loops.run(...); }} exits 130 or 143
 *       after its own {@code finally} and catch blocks, and a shutdown hook that joins the main thread does not wait
 *       in vain. A program that catches the exception and goes on still exits once that thread ends;
 *       {@code -Dweft.signals=false} keeps the decision with the program.</li>
 *   <li>A second SIGINT or SIGTERM while main unwinds (until {@code run} throws) halts the process at once with its
 *       status, without the shutdown hooks, after one line on standard error: the way out of a clean-up that
 *       hangs.</li>
 *   <li>Only the first {@code run} active in the process takes the signals; another one, on another thread meanwhile,
 *       leaves them to the first. {@code run} puts the handlers it replaced back just before it returns or
 *       throws.</li>
 *   <li>{@code -Dweft.signals=false} leaves SIGINT and SIGTERM to the JVM (it exits at once, skipping
 *       {@code finally} blocks): for applications that embed Weft and handle signals themselves. Only
 *       {@code true} and {@code false} are read (any case); another value is warned about and taken as
 *       {@code true}.</li>
 *   <li>A loop's own handler for SIGINT or SIGTERM ({@link EventLoop#addSignalHandler}) runs instead of the
 *       cancellation.</li>
 *   <li>A signal ignored when the JVM started stays ignored, as the JVM keeps it: a background job of a
 *       non-interactive shell ({@code cmd &} in a script) inherits SIGINT ignored, so Ctrl-C and {@code kill -INT} do
 *       not reach it, while SIGTERM still cancels main. With {@code -Xrs} the JVM gives Java no handler for either
 *       signal, and Weft installs none: the operating system ends the process, without shutdown hooks. A runtime
 *       image without the module {@code jdk.unsupported} has no signal API: {@code run} leaves the signals to the
 *       JVM and says so once in the log.</li>
 * </ul>
 */
public final class Loops {
    public static final String POLICY_PROPERTY = "weft.loop.policy";

    private Loops() {
    }

    /**
     * Run {@code main} as a task on a new loop from the policy, until it completes; then cancel the tasks still
     * pending, close the loop, and return main's result or throw its failure, as itself: a body that throws
     * {@code IOException} makes this throw that same {@code IOException}.
     *
     * @throws E                           what the body throws
     * @throws SignalCancellationException if SIGINT or SIGTERM stopped it (see the class comment); the process then
     *                                     exits with its status once the calling thread has ended
     * @throws InvalidStateException       if called from code that already runs on a loop
     */
    public static <T, E extends Exception> T run(Body<T, E> main) throws E {
        return run(Loops::newLoop, main);
    }

    /** {@link #run(Body)} for a body without a value. */
    public static <E extends Exception> void run(VoidBody<E> main) throws E {
        run(Loops::newLoop, main.returningNull());
    }

    /** {@link #run(Body)} on a loop from this factory, whatever the policy says. */
    public static <T, E extends Exception> T run(Supplier<? extends EventLoop> factory, Body<T, E> main) throws E {
        if (Task.currentOrNull() != null || AbstractEventLoop.onLoopThread()) {
            throw new InvalidStateException("Loops.run() cannot be called from a running event loop; await instead");
        }
        try (EventLoop loop = factory.get()) {
            Task<T> task = loop.createTask("main", main);
            try {
                return SignalSupport.mainSignalsWanted() ? MainSignals.runAndClose(loop, task)
                        : loop.runUntilComplete(task);
            } catch (CompletionException wrapper) {
                if (task.isDone() && !task.isCancelled() && wrapper.getCause() == task.exception()) {
                    throw Loops.<E>thrownByBody(wrapper.getCause());
                }
                throw wrapper;
            }
        }
    }

    /** {@link #run(Supplier, Body)} for a body without a value. */
    public static <E extends Exception> void run(Supplier<? extends EventLoop> factory, VoidBody<E> main) throws E {
        run(factory, main.returningNull());
    }

    /** A checked failure of a {@code Body<?, E>}: the body's signature says it is an E. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E thrownByBody(Throwable failure) {
        return (E) failure;
    }

    /**
     * What every open loop's tasks are doing now: the await tree of each loop, as text ({@link TaskDump#toText()}) or
     * JSON ({@link TaskDump#toJson()}). Thread-safe; each running loop reads its own tasks between two callbacks, and
     * one that does not answer within a second (it is blocked) is read while it runs (see {@code dev.weft.dump}).
     */
    public static TaskDump dump() {
        return TaskSnapshots.ofAll();
    }

    /**
     * {@link #dump()} of one loop. The dump has no loop if the loop is closed, or if it is a third party's that does
     * not extend {@link AbstractEventLoop} (whose tasks Weft cannot see).
     */
    public static TaskDump dump(EventLoop loop) {
        LoopDump one = loop instanceof AbstractEventLoop core ? TaskSnapshots.of(core) : null;
        return TaskSnapshots.dump(one == null ? List.of() : List.of(one));
    }

    /** A new loop from the provider the policy chooses. The caller must close it. */
    public static EventLoop newLoop() {
        return chosenProvider().newLoop();
    }

    /** The provider the policy chooses now. */
    public static LoopProvider chosenProvider() {
        return policy().choose(providers());
    }

    /** Every installed provider, available or not, highest priority first (ties by name). */
    public static List<LoopProvider> providers() {
        List<LoopProvider> found = new ArrayList<>();
        ServiceLoader.load(LoopProvider.class, Loops.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(LoopProvider::priority).reversed().thenComparing(LoopProvider::name));
        return found;
    }

    /** {@code -Dweft.loop.policy} if set, else the {@link NamedLoopPolicy} that reads {@code -Dweft.loop}. */
    public static LoopPolicy policy() {
        String className = System.getProperty(POLICY_PROPERTY);
        if (className == null || className.isBlank()) {
            return new NamedLoopPolicy();
        }
        try {
            Class<?> type = Class.forName(className.trim(), true, Thread.currentThread().getContextClassLoader());
            if (!LoopPolicy.class.isAssignableFrom(type)) {
                throw new InvalidStateException("-D" + POLICY_PROPERTY + "=" + className
                        + " does not implement " + LoopPolicy.class.getName());
            }
            return (LoopPolicy) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new InvalidStateException("-D" + POLICY_PROPERTY + "=" + className
                    + " cannot be loaded: it must be a public class on the class path with a public no-argument "
                    + "constructor (" + e + ")", e);
        }
    }
}
