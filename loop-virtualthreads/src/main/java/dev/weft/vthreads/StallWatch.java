package dev.weft.vthreads;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread that notices a loop held up with I/O threads waiting for it: every {@link #TICK_NANOS} it counts a
 * tick and asks each {@link LoopCarrier} to look ({@link LoopCarrier#look}); a carrier whose drain was posted before
 * the tick calls a stand-in. So an I/O thread waits at most two ticks for a loop thread that a callback blocks. The
 * thread ticks only while some carrier is registered (a loop that has started an I/O thread and is not closed), and
 * parks otherwise.
 */
final class StallWatch {
    /** How often the watch looks: short against a blocked callback, long against the cost of waking up to look. */
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final Set<LoopCarrier> CARRIERS = ConcurrentHashMap.newKeySet();
    private static volatile long tick;
    private static volatile Thread watcher;

    private StallWatch() {
    }

    /** The current tick: what a carrier stamps a posted drain with. */
    static long tick() {
        return tick;
    }

    static void watch(LoopCarrier carrier) {
        CARRIERS.add(carrier);
        Thread current = watcher;
        if (current == null) {
            synchronized (StallWatch.class) {
                if (watcher == null) {
                    watcher = Thread.ofPlatform().daemon().name("weft-vthreads-stall-watch").start(StallWatch::run);
                }
                current = watcher;
            }
        }
        LockSupport.unpark(current);
    }

    static void forget(LoopCarrier carrier) {
        CARRIERS.remove(carrier);
    }

    private static void run() {
        while (true) {
            if (CARRIERS.isEmpty()) {
                LockSupport.park(StallWatch.class); // until watch() adds one and unparks
                continue;
            }
            LockSupport.parkNanos(StallWatch.class, TICK_NANOS);
            long now = ++tick; // the only writer
            for (LoopCarrier carrier : CARRIERS) {
                carrier.look(now);
            }
        }
    }
}
