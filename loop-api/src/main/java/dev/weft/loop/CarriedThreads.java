package dev.weft.loop;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;

/**
 * Virtual threads scheduled by a loop. The JDK has no public API for a virtual thread's scheduler, but its builder
 * keeps a constructor that takes one; reaching it needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Probed
 * once; without the flag Weft falls back to {@link TaskMode#BATON} and says so once in the log.
 */
final class CarriedThreads {
    static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER = probe();

    private CarriedThreads() {
    }

    static boolean isAvailable() {
        return BUILDER != null;
    }

    /** A builder of virtual threads whose continuations run on {@code scheduler}. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (BUILDER == null) {
            throw new InvalidStateException("tasks cannot be carried by their loop: start java with " + FLAG);
        }
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new InvalidStateException("cannot build a loop-carried virtual thread", e);
        }
    }

    /**
     * A builder of virtual threads on the JDK's default scheduler, wherever they are made (see {@link BlockingCalls}).
     * Without the add-opens no loop-carried thread exists to inherit from, so the plain builder is right.
     */
    static Thread.Builder.OfVirtual offLoopBuilder() {
        if (BUILDER == null) {
            return Thread.ofVirtual();
        }
        try {
            Method defaultScheduler = Class.forName("java.lang.VirtualThread")
                    .getDeclaredMethod("defaultScheduler");
            defaultScheduler.setAccessible(true);
            return builder((Executor) defaultScheduler.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new InvalidStateException("cannot reach the JDK's default virtual-thread scheduler", e);
        }
    }

    /**
     * Load the class a virtual thread's last steps use, before the JIT compiles {@code VirtualThread.run}. Until some
     * virtual thread has ended, that class is unloaded, the compiled code has a trap where it is used, and every
     * virtual thread parked meanwhile deoptimizes once on its way out: a million tasks spawned before the first one
     * ended took 10 µs more each to end (-Xlog:deoptimization counted one "unloaded" trap apiece; a JFR recording hides
     * it, since it loads the class itself). A JDK detail, so missing it costs nothing but the speed.
     */
    private static void loadVirtualThreadEndPath() {
        try {
            Class.forName("jdk.internal.event.VirtualThreadEndEvent", true, null);
        } catch (ClassNotFoundException | LinkageError e) {
            // another JDK: nothing to load ahead
        }
    }

    private static Constructor<?> probe() {
        loadVirtualThreadEndPath();
        try {
            Constructor<?> ctor = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            return ctor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.getLogger("dev.weft.loop").log(System.Logger.Level.WARNING,
                    "weft: tasks run in fallback (baton) mode, which is slower and lets a blocking call in a task "
                            + "hold up its loop; start java with " + FLAG + " to run tasks on their loop ("
                            + e.getClass().getSimpleName() + ")");
            return null;
        }
    }
}
