package dev.weft.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process's open loops, for task dumps. Weak, so a loop dropped without {@code close()} does not stay reachable
 * through the registry. A loop joins when it first runs, not when it is made (a backend's constructor may yet fail),
 * and takes itself off when closed; the first also registers the dump's MBean.
 */
final class LiveLoops {
    static final String MBEAN_PROPERTY = "weft.dump.mbean";
    private static final AtomicBoolean MBEAN_REGISTERED = new AtomicBoolean();
    private static final Set<AbstractEventLoop> LOOPS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private LiveLoops() {
    }

    static void add(AbstractEventLoop loop) {
        LOOPS.add(loop);
        registerMBeanOnce();
    }

    /**
     * Register the dump's MBean, once per process, on a thread of its own: the platform MBean server takes a while to
     * start, and a program's first loop should not wait for it. Not at all with {@code -Dweft.dump.mbean=false}, nor
     * in a runtime image without java.management (a jlink'd one), where {@link Loops#dump()} is still there.
     */
    private static void registerMBeanOnce() {
        if (MBEAN_REGISTERED.get() || "false".equalsIgnoreCase(System.getProperty(MBEAN_PROPERTY, "true").trim())
                || ModuleLayer.boot().findModule("java.management").isEmpty()
                || !MBEAN_REGISTERED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("weft-task-dump-mbean").start(TaskDumpBean::register);
    }

    static void remove(AbstractEventLoop loop) {
        LOOPS.remove(loop);
    }

    /** The open loops now, by id. */
    static List<AbstractEventLoop> snapshot() {
        List<AbstractEventLoop> loops;
        synchronized (LOOPS) {
            loops = new ArrayList<>(LOOPS);
        }
        loops.removeIf(AbstractEventLoop::isClosed);
        loops.sort(Comparator.comparingInt(AbstractEventLoop::id));
        return loops;
    }
}
