package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that watches every loop in debug mode and reports a loop whose current step has held it longer than
 * its {@link DebugMode#blocked()} threshold, with the stack of what holds it, once per step. A daemon platform thread,
 * started when the first loop turns debug mode on and ending when the last one turns it off or closes; it looks a few
 * times per threshold, so a report comes at most a quarter threshold late.
 */
final class DebugWatchdog {
    private static final Set<LoopDebug> WATCHED = ConcurrentHashMap.newKeySet();
    private static final long MIN_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static Thread thread; // guarded by the class

    private DebugWatchdog() {
    }

    static void watch(LoopDebug debug) {
        WATCHED.add(debug); // before the check below: a thread that saw no loop left has cleared the field by then
        synchronized (DebugWatchdog.class) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("weft-debug-watchdog").start(DebugWatchdog::run);
            }
        }
    }

    static void unwatch(LoopDebug debug) {
        WATCHED.remove(debug);
    }

    /** The watchdog thread, or null when none runs (no loop in debug mode). */
    static synchronized Thread thread() {
        return thread;
    }

    private static void run() {
        while (true) {
            synchronized (DebugWatchdog.class) {
                if (WATCHED.isEmpty()) {
                    thread = null; // the next loop to turn debug mode on starts another
                    return;
                }
            }
            long look = MAX_LOOK_NANOS;
            for (LoopDebug debug : WATCHED) {
                look = Math.min(look, Math.max(MIN_LOOK_NANOS, debug.blockedNanos / 4));
                check(debug);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(look);
            } catch (InterruptedException e) {
                return; // nobody interrupts it; if someone does, stop watching
            }
        }
    }

    private static void check(LoopDebug debug) {
        long start = debug.stepStart;
        if (start == 0 || start == debug.reportedStart || System.nanoTime() - start < debug.blockedNanos) {
            return;
        }
        Runnable step = debug.step;
        Thread holder = step instanceof TaskStep taskStep ? taskStep.task().thread() : debug.loop.runningThread();
        StackTraceElement[] stack = holder == null ? new StackTraceElement[0] : holder.getStackTrace();
        long held = System.nanoTime() - start;
        if (debug.stepStart != start || step == null) {
            return; // the step ended while we looked: its stack is not what held the loop
        }
        debug.reportedStart = start;
        DebugEvents.blockedLoop(debug.loop, step.toString(), held); // before the warning: who reads it finds the event
        LoopDebug.LOG.log(Level.WARNING, "weft debug: " + debug.loopName() + " has been blocked for "
                + LoopDebug.millis(held) + " ms by " + step + " (blocked threshold " + debug.mode.blocked().toMillis()
                + " ms); it is at" + StackFrames.format(StackFrames.blockedAt(stack)) + debug.createdAt(step));
    }
}
