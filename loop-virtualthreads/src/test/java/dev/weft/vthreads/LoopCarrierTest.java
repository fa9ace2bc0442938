package dev.weft.vthreads;

import dev.weft.loop.Future;
import dev.weft.loop.TaskMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a loop's I/O threads run ({@link LoopCarrier}): on the loop's own thread while it is free, on a stand-in while a
 * callback blocks it, and back on the loop once it is free again. Where a virtual thread runs is in its
 * {@code toString()}: {@code VirtualThread[#id,name]/runnable@<carrier's name>}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LoopCarrierTest {
    private static final String LOOP_THREAD = "carrier-test-loop";

    @Test
    void ioThreadsRunOnTheLoopThreadWhileItIsFree() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            CompletableFuture<String> where = running.call(() -> whereAnIoThreadRuns(loop));
            assertTrue(LoopThread.await(where).endsWith("@" + LOOP_THREAD), LoopThread.await(where));
        }
    }

    /**
     * A plain callback blocks the loop thread until an I/O thread started in it has run: a stand-in runs it, within a
     * couple of the watch's ticks; once the callback returns, the next I/O thread runs on the loop again.
     */
    @Test
    void aStandInRunsTheIoThreadsWhileACallbackBlocksTheLoopThread() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            String whileBlocked = running.call(() -> {
                Future<String> result = loop.createFuture();
                loop.callSoon(() -> {
                    try { // a plain callback: this blocks the loop's platform thread
                        result.setResult(whereAnIoThreadRuns(loop).get(5, TimeUnit.SECONDS));
                    } catch (TimeoutException e) {
                        result.setResult("nothing ran while the loop thread was blocked");
                    } catch (Exception e) {
                        result.setException(e);
                    }
                });
                return result.await();
            });
            assertTrue(whileBlocked.contains("@weft-vthreads-stand-in-"), whileBlocked);

            CompletableFuture<String> afterwards = running.call(() -> whereAnIoThreadRuns(loop));
            assertTrue(LoopThread.await(afterwards).endsWith("@" + LOOP_THREAD), LoopThread.await(afterwards));
        }
    }

    /**
     * An I/O thread that yields on the loop thread (as the JDK's sub-pollers do after a look that found sockets ready)
     * waits until the loop has nothing else to run, then runs on the loop thread again.
     */
    @Test
    void anIoThreadThatYieldsRunsAgainOnTheLoopThread() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            CompletableFuture<String> where = running.call(() -> {
                CompletableFuture<String> after = new CompletableFuture<>();
                loop.startIoThread("weft-vthreads-test", () -> {
                    for (int i = 0; i < 3; i++) {
                        Thread.yield();
                    }
                    after.complete(Thread.currentThread().toString());
                });
                return after;
            });
            assertTrue(LoopThread.await(where).endsWith("@" + LOOP_THREAD), LoopThread.await(where));
        }
    }

    /**
     * An I/O thread that yielded on the loop thread, which a callback then blocks, is run by a stand-in: what yielded
     * waits for an idle loop, and a blocked loop is never idle.
     */
    @Test
    void aStandInRunsAnIoThreadThatYieldedBeforeACallbackBlockedTheLoopThread() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            String afterTheYield = running.call(() -> {
                CompletableFuture<String> before = new CompletableFuture<>();
                CompletableFuture<String> after = new CompletableFuture<>();
                Future<String> result = loop.createFuture();
                loop.callSoon(() -> { // the I/O thread's first run is a drain queued before the blocking callback
                    loop.startIoThread("weft-vthreads-test", () -> {
                        before.complete(Thread.currentThread().toString());
                        Thread.yield();
                        after.complete(Thread.currentThread().toString());
                    });
                    loop.callSoon(() -> {
                        try { // a plain callback: this blocks the loop's platform thread
                            result.setResult(before.getNow("not run") + " then " + after.get(5, TimeUnit.SECONDS));
                        } catch (TimeoutException e) {
                            result.setResult("the yielded I/O thread did not run while the loop thread was blocked");
                        } catch (Exception e) {
                            result.setException(e);
                        }
                    });
                });
                return result.await();
            });
            assertTrue(afterTheYield.matches(".*@" + LOOP_THREAD + " then .*@weft-vthreads-stand-in-.*"), afterTheYield);
        }
    }

    /**
     * An I/O thread that yields after handing the loop a callback (as a JDK sub-poller does after waking readers) runs
     * again only after that callback, even when the loop looks at I/O first: its next look must find the answer.
     */
    @Test
    void anIoThreadThatYieldedRunsAgainAfterTheCallbacksItHandedTheLoop() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            CompletableFuture<List<String>> order = running.call(() -> {
                List<String> steps = new CopyOnWriteArrayList<>();
                CompletableFuture<List<String>> done = new CompletableFuture<>();
                loop.startIoThread("weft-vthreads-test", () -> {
                    long busy = System.nanoTime();
                    while (System.nanoTime() - busy < TimeUnit.MICROSECONDS.toNanos(100)) {
                        Thread.onSpinWait(); // long enough that the loop's next iteration looks at I/O first
                    }
                    loop.execute(() -> steps.add("callback"));
                    Thread.yield();
                    steps.add("yielded thread again");
                    done.complete(steps);
                });
                return done;
            });
            assertEquals(List.of("callback", "yielded thread again"), LoopThread.await(order));
        }
    }

    /**
     * Two I/O threads that yield in turn on a free loop (as the JDK's read sub-pollers do under load) for several of the
     * watch's ticks: the loop runs them every time it is idle, so the watch does not take it for held up. A stand-in may
     * run one only after a whole tick in which the loop ran none (the machine took the loop's thread away that long).
     */
    @Test
    void ioThreadsThatYieldInTurnOnAFreeLoopStayOnTheLoopThread() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        Set<Long> ticksOnTheLoop = ConcurrentHashMap.newKeySet();
        Set<Long> ticksOnAStandIn = ConcurrentHashMap.newKeySet();
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            CompletableFuture<Void> done = running.call(() -> CompletableFuture.allOf(
                    yieldForTicks(loop, ticksOnTheLoop, ticksOnAStandIn),
                    yieldForTicks(loop, ticksOnTheLoop, ticksOnAStandIn)));
            LoopThread.await(done);
        }
        long first = Collections.min(ticksOnTheLoop);
        for (long tick : ticksOnAStandIn) {
            boolean loopMissedATick = false;
            for (long before = first; before < tick; before++) {
                loopMissedATick |= !ticksOnTheLoop.contains(before);
            }
            assertTrue(loopMissedATick, "a stand-in ran a yielding I/O thread at tick " + tick
                    + " while the loop ran them at every tick before: " + ticksOnTheLoop);
        }
    }

    /** An I/O thread that yields for eight of the watch's ticks, noting at which ticks it ran on the loop or elsewhere. */
    private static CompletableFuture<Void> yieldForTicks(VirtualThreadEventLoop loop, Set<Long> onTheLoop,
                                                       Set<Long> elsewhere) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.startIoThread("weft-vthreads-test", () -> {
            long end = StallWatch.tick() + 8;
            long tick;
            while ((tick = StallWatch.tick()) < end) {
                (Thread.currentThread().toString().endsWith("@" + LOOP_THREAD) ? onTheLoop : elsewhere).add(tick);
                Thread.yield();
            }
            done.complete(null);
        });
        return done;
    }

    /** In baton mode nothing may carry a virtual thread on the loop: the I/O threads keep the JDK's scheduler. */
    @Test
    void inBatonModeTheIoThreadsRunOnTheJdksScheduler() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.BATON);
        try (LoopThread running = new LoopThread(LOOP_THREAD, loop)) {
            CompletableFuture<String> where = running.call(() -> whereAnIoThreadRuns(loop));
            assertTrue(LoopThread.await(where).contains("@ForkJoinPool"), LoopThread.await(where));
        }
    }

    private static CompletableFuture<String> whereAnIoThreadRuns(VirtualThreadEventLoop loop) {
        CompletableFuture<String> where = new CompletableFuture<>();
        loop.startIoThread("weft-vthreads-test", () -> where.complete(Thread.currentThread().toString()));
        return where;
    }
}
