package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loop's debug mode ({@link DebugMode}): times each step it runs, remembers where futures, tasks and callbacks
 * were created, and shows the {@link DebugWatchdog} the step running now. Exists only while debug mode is on, so
 * when it is off a loop pays one null check per step.
 */
final class LoopDebug {
    static final System.Logger LOG = System.getLogger("dev.weft.debug");

    final AbstractEventLoop loop;
    final DebugMode mode;
    private final long slowNanos;
    final long blockedNanos;
    /** Where each future, task and timer still alive was created; weak, so it keeps none of them alive. */
    private final Map<Object, Throwable> creations;
    /** The resources opened on the loop and not yet closed ({@link LeakWatch}). */
    final Set<LeakWatch.Leak> openResources;
    /** When the step running now started ({@link System#nanoTime()}), 0 between steps: read by the watchdog. */
    volatile long stepStart;
    volatile Runnable step;
    /** The start of the last step the watchdog reported: once per step. Watchdog thread only. */
    long reportedStart;

    /** Debug mode with these thresholds, keeping what an earlier one of the loop remembers (if not null). */
    private LoopDebug(AbstractEventLoop loop, DebugMode mode, LoopDebug earlier) {
        this.loop = loop;
        this.mode = mode;
        this.creations = earlier != null ? earlier.creations : Collections.synchronizedMap(new WeakHashMap<>());
        this.openResources = earlier != null ? earlier.openResources : ConcurrentHashMap.newKeySet();
        this.slowNanos = mode.slowStep().toNanos();
        this.blockedNanos = mode.blocked().toNanos();
    }

    /** Turn debug mode on, off, or to new thresholds: the watchdog follows. Returns the loop's new LoopDebug. */
    static LoopDebug switchTo(AbstractEventLoop loop, LoopDebug old, DebugMode mode) {
        if (old != null) {
            DebugWatchdog.unwatch(old);
        }
        if (mode == null) {
            return null;
        }
        LoopDebug debug = new LoopDebug(loop, mode, old); // new thresholds: what was opened and made stays known
        DebugWatchdog.watch(debug);
        return debug;
    }

    /** The loop closes: warn of the resources it leaves open, and stop watching it. Returns null, its new debug. */
    static LoopDebug loopClosing(LoopDebug debug) {
        if (debug != null) {
            LeakWatch.loopClosing(debug.openResources);
            DebugWatchdog.unwatch(debug);
        }
        return null;
    }

    /** A carried task's thread whose steps reach the loop named after the task. */
    Thread carriedThread(Task<?> task, String name, Runnable body) {
        Thread.Builder.OfVirtual threads = CarriedThreads.builder(step -> loop.execute(new TaskStep(task, step)));
        return (name == null ? threads : threads.name(name)).unstarted(body);
    }

    /** Remember where this future, task or callback is being created. */
    void created(Object made) {
        creations.put(made, StackFrames.capture());
    }

    /** ", created at" and the stack where it was created, or "" if unknown. */
    String createdAt(Object made) {
        Throwable site = made instanceof TracedHandle handle ? handle.createdAt
                : creations.get(made instanceof TaskStep taskStep ? taskStep.task() : made);
        return site == null ? "" : ", created at" + StackFrames.format(StackFrames.creationSite(site));
    }

    /** ", created at ..." for a future of a loop in debug mode; "" otherwise. */
    static String whereCreated(Future<?> future) {
        LoopDebug debug = future.owner.debug();
        return debug == null ? "" : debug.createdAt(future);
    }

    /** Run one step of the loop, timed; warn if it was slow. */
    void runTimed(Runnable callback) {
        step = callback;
        long start = System.nanoTime();
        stepStart = start == 0 ? 1 : start; // 0 means "between steps"
        try {
            loop.runStep(callback);
        } finally {
            long took = System.nanoTime() - start;
            stepStart = 0;
            step = null;
            if (took > slowNanos) {
                slowStep(callback, took);
            }
        }
    }

    private void slowStep(Runnable callback, long tookNanos) {
        String name = callback.toString();
        DebugEvents.slowStep(loop, name, tookNanos); // before the warning: who reads it finds the event
        LOG.log(Level.WARNING, "weft debug: " + name + " held " + loopName() + " for "
                + millis(tookNanos) + " ms (slow step threshold " + mode.slowStep().toMillis() + " ms)"
                + createdAt(callback));
    }

    /** The loop in a warning, told apart from the program's other loops: "the nio loop #3". */
    String loopName() {
        return "the " + loop.backendName() + " loop #" + loop.id();
    }

    static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
