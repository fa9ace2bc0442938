package dev.weft.sync;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Tasks;

import java.util.concurrent.CancellationException;

/**
 * A meeting point for a fixed number of tasks, as asyncio's {@code Barrier}: each {@link #await()} waits until
 * {@code parties} tasks have arrived, then all go on together, and the barrier is ready for the next round.
 *
 * <p>A barrier breaks when {@link #abort()} is called or when a waiting task is cancelled: every task waiting in that
 * round, and every later arrival, fails with {@link BarrierBrokenException} until {@link #reset()}. (asyncio lets a
 * cancelled party withdraw silently, so the others wait for a replacement that may never come; here they learn at
 * once, as with java.util.concurrent's barrier.) {@link #reset()} fails the tasks waiting in the current round and
 * starts a fresh one.
 *
 * <p>Bound to the loop it is first used on, and confined to it: see {@link dev.weft.sync}.
 */
public final class Barrier extends LoopBound {
    /** How a round ended for its waiters: passed, or failed with this message. */
    private record Release(String failure) {
        static final Release PASSED = new Release(null);
    }

    private final int parties;
    private final Waiters<Release> waiters = new Waiters<>();
    private int arrived; // in the current round
    private long round;
    private String brokenBy; // null unless broken

    /**
     * A barrier for this many parties.
     *
     * @throws IllegalArgumentException if parties is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("a Barrier needs at least 1 party, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Arrive and wait until all parties have; return the arrival index, from 0 for the first to
     * {@code parties - 1} for the last, which releases the others without waiting.
     *
     * @throws BarrierBrokenException if the barrier is broken, or breaks or is reset while the task waits
     * @throws CancellationException  if the task is cancelled while waiting; this breaks the barrier
     * @throws IllegalStateException  if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public int await() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        if (brokenBy != null) {
            throw new BarrierBrokenException(brokenMessage());
        }
        if (arrived + 1 == parties) {
            if (waiters.anyCancelled()) { // one of this round left before it filled: it never will
                breakRound("a waiting task was cancelled");
                throw new BarrierBrokenException(brokenMessage());
            }
            waiters.wakeAll(Release.PASSED);
            arrived = 0;
            round++;
            return parties - 1;
        }
        Future<Release> waiter = waiters.add(loop, this, "await");
        int index = arrived++;
        long myRound = round;
        Release release;
        try {
            release = waiters.await(waiter, passedOrBroken -> { });
        } catch (CancellationException e) {
            if (!waiter.isDone() || waiter.isCancelled()) { // cancelled while waiting, not after its round ended
                if (round == myRound && brokenBy == null) {
                    breakRound("a waiting task was cancelled");
                }
            }
            throw e;
        }
        if (release.failure() != null) {
            throw new BarrierBrokenException(release.failure());
        }
        return index;
    }

    /** Break the barrier: the tasks waiting now and every later arrival fail, until {@link #reset()}. */
    public void abort() {
        loop();
        if (brokenBy == null) {
            breakRound("abort() was called");
        }
    }

    /**
     * Mend the barrier and start a new round: the tasks waiting in the current round fail with
     * {@link BarrierBrokenException}, and later arrivals count from zero.
     */
    public void reset() {
        loop();
        endRound(new Release(this + ": the round this task waited in was reset"));
        brokenBy = null;
    }

    private void breakRound(String why) {
        brokenBy = why;
        endRound(new Release(brokenMessage()));
    }

    private void endRound(Release release) {
        waiters.wakeAll(release);
        arrived = 0;
        round++;
    }

    private String brokenMessage() {
        return this + " is broken (" + brokenBy + "); no round can pass until reset() is called";
    }

    /** The number of tasks needed to pass. */
    public int parties() {
        return parties;
    }

    /** The number of tasks waiting in the current round. */
    public int waiting() {
        loop();
        return arrived;
    }

    /** Whether the barrier is broken, until {@link #reset()}. */
    public boolean isBroken() {
        loop();
        return brokenBy != null;
    }

    @Override
    public String toString() {
        return "Barrier@" + Integer.toHexString(System.identityHashCode(this)) + "[" + arrived + "/" + parties
                + (brokenBy != null ? ", broken" : "") + "]";
    }
}
