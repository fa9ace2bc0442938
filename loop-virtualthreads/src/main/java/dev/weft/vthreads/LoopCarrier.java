package dev.weft.vthreads;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scheduler of a loop's I/O threads (in {@link dev.weft.loop.TaskMode#CARRIED}): their continuations run on the
 * loop's own thread, between its callbacks, so that a chunk handed to the loop, a write handed to the writer and a
 * permit handed to the reader cost no OS context switch — on one core each such hand-off between the loop thread and a
 * carrier of the JDK's scheduler was one. While the loop thread cannot take them — a callback blocks it, the loop is
 * not running, or it is closing — a stand-in platform thread runs them instead, so a blocking callback still does not
 * stop the I/O threads.
 *
 * <p>Continuations wait in one queue. The loop runs the queue in one callback, posted once per batch. {@link StallWatch}
 * looks at every carrier each tick: a drain posted a whole tick ago and still not run means the loop thread is held
 * up, and from then until the loop drains again every continuation is also offered to a stand-in. Both may take from
 * the queue at once; each continuation runs once, on whichever takes it, and the I/O threads were made to run in
 * parallel with the loop anyway.
 *
 * <p>A continuation that asks to run again while it runs here — it yielded — waits apart, until the loop has nothing
 * else to run ({@link #runYielded}). That is for the JDK's sub-pollers: virtual threads the JDK starts when it first
 * parks one on a socket, which take their starter's scheduler, so this carrier's when an I/O thread of a carried loop
 * started them. A sub-poller that found sockets ready yields and looks again, and parks in the JDK's master poller
 * (a platform thread) when it finds none. Run at once, its second look came before the loop had answered what the
 * first one found, found nothing, and every batch of echoes then cost two OS context switches (the master poller
 * woken, then the loop thread); run once the loop is idle, it finds the peers' next requests and stays awake.
 */
final class LoopCarrier implements Executor {
    /** Most continuations one drain runs before it lets the loop's other callbacks go first. */
    private static final int DRAIN_MAX = 1024;
    /**
     * Stand-ins: platform threads, made when a loop is held up or closes, and kept two seconds after, for a loop held up
     * again soon. Not longer: every closing loop calls one, and no thread of a closed loop should outlive it for long
     * (a pool's usual minute failed {@code LifecycleSuite.closeEndsTheThreadsOfTheLoopAndItsTasks} whenever it ran
     * first in its JVM).
     */
    private static final ExecutorService STAND_INS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
            new SynchronousQueue<>(), Thread.ofPlatform().daemon().name("weft-vthreads-stand-in-", 0).factory());

    private final VirtualThreadEventLoop loop;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> yielded = new ConcurrentLinkedQueue<>(); // see the class comment
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    private final AtomicBoolean standInPosted = new AtomicBoolean();
    private volatile long postedAtTick; // the watch's tick when the drain now pending was posted
    private volatile boolean heldUp; // the loop has not drained for a tick: a stand-in helps
    private volatile boolean closing; // the loop is closing or closed: a stand-in does it all
    private volatile long yieldedAtTick; // the watch's tick when the loop last took `yielded`, or it last filled
    private Thread loopThread; // the thread that runs this carrier's drains
    private Runnable running; // the continuation the loop thread runs now, or null; loop thread only
    private int agedAtLastLook; // how many at the head of `yielded` were there at the loop's last look; loop thread only

    LoopCarrier(VirtualThreadEventLoop loop) {
        this.loop = loop;
    }

    /** Any thread (the JDK calls it to run or resume an I/O thread): queue the continuation. */
    @Override
    public void execute(Runnable continuation) {
        if (continuation == running && Thread.currentThread() == loopThread && !heldUp && !closing) {
            if (yielded.isEmpty()) {
                yieldedAtTick = StallWatch.tick();
            }
            yielded.add(continuation); // it yielded: it runs again when the loop is idle, or a stand-in takes it
            return;
        }
        queue.add(continuation);
        if (heldUp || closing) {
            postStandIn();
        }
        if (!closing) {
            postDrain();
        }
    }

    /** The loop closes: from now on a stand-in runs every continuation, so the I/O threads can end. */
    void close() {
        closing = true;
        postStandIn();
    }

    /** The watch: whether a drain has waited since before {@code tick}, and if so, call a stand-in. */
    void look(long tick) {
        boolean drainWaits = drainPosted.get() && postedAtTick < tick - 1; // posted a whole tick ago at least
        boolean yieldedWait = !yielded.isEmpty() && yieldedAtTick < tick - 1;
        if ((drainWaits || yieldedWait) && !heldUp) {
            heldUp = true;
            postStandIn();
        }
    }

    /** On the loop thread. */
    private void drain() {
        drainPosted.set(false); // first: what comes from here on posts a drain of its own
        heldUp = false;
        Runnable continuation;
        for (int n = 0; n < DRAIN_MAX && (continuation = queue.poll()) != null; n++) {
            runOnLoop(continuation);
        }
        if (!queue.isEmpty()) {
            postDrain();
        }
    }

    /**
     * On the loop thread, when it has nothing else to run: run the continuations that had yielded before this call (one
     * that yields again waits for the next). Whether it ran any.
     */
    boolean runYielded() {
        boolean ran = runYielded(Integer.MAX_VALUE);
        agedAtLastLook = 0; // what is left yielded during this run
        return ran;
    }

    /**
     * On the loop thread, when a loop busy with callbacks looks at I/O: run the continuations that had yielded before its
     * previous look, not those that yielded since. One that yielded just before this look (after waking readers, say)
     * would otherwise look again before the loop ran the callbacks it handed over, and find nothing.
     */
    void runYieldedBeforeLastLook() {
        runYielded(agedAtLastLook);
        agedAtLastLook = yielded.size();
    }

    private boolean runYielded(int most) {
        int n = Math.min(most, yielded.size());
        if (n == 0) {
            return false;
        }
        // What yields from here on waits since now: with two or more yielding in turn `yielded` never empties, and
        // a stamp from when it last filled would make the watch call a stand-in for a loop that is not held up.
        yieldedAtTick = StallWatch.tick();
        Runnable continuation;
        boolean ran = false;
        while (n-- > 0 && (continuation = yielded.poll()) != null) {
            runOnLoop(continuation);
            ran = true;
        }
        return ran;
    }

    private void runOnLoop(Runnable continuation) {
        loopThread = Thread.currentThread();
        running = continuation;
        try {
            continuation.run();
        } finally {
            running = null;
        }
    }

    /** Ask the loop to drain, unless a drain is pending already; a loop that refuses has closed: a stand-in takes over. */
    private void postDrain() {
        if (drainPosted.compareAndSet(false, true)) {
            postedAtTick = StallWatch.tick();
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                close();
            }
        }
    }

    private void postStandIn() {
        if (standInPosted.compareAndSet(false, true)) {
            STAND_INS.execute(this::standIn);
        }
    }

    /** On a stand-in: run what is queued while the loop is held up or closing. */
    private void standIn() {
        standInPosted.set(false);
        Runnable continuation;
        while ((heldUp || closing) && (continuation = next()) != null) {
            continuation.run();
        }
    }

    private Runnable next() {
        Runnable continuation = queue.poll();
        return continuation != null ? continuation : yielded.poll();
    }
}
