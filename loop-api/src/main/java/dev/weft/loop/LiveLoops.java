package dev.weft.loop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The process's open loops, for task dumps. Weak, so a loop dropped without {@code close()} does not stay reachable
 * through the registry. A loop joins when it first runs, not when it is made (a backend's constructor may yet fail),
 * and takes itself off when closed; the first also registers the dump's MBean.
 */
final class LiveLoops {
    private static final Set<AbstractEventLoop> LOOPS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private LiveLoops() {
    }

    static void add(AbstractEventLoop loop) {
        LOOPS.add(loop);
        TaskDumpBean.registerOnce();
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
