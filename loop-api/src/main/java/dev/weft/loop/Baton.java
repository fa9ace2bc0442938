package dev.weft.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off of {@link TaskMode#BATON}: exactly one of the loop thread and a task's thread runs at a time. The loop
 * thread hands the baton to the task and waits for it back; the task hands it back when it awaits or ends.
 */
final class Baton {
    private volatile boolean taskHolds;
    private volatile Thread loopThread;

    /** Loop thread: let the task run until it passes the baton back. */
    void runTask(Thread task) {
        loopThread = Thread.currentThread();
        taskHolds = true;
        LockSupport.unpark(task);
        while (taskHolds) {
            LockSupport.park(this);
        }
    }

    /** Whether the task holds the baton, its loop's: for a task dump, which may read it from any thread. */
    boolean held() {
        return taskHolds;
    }

    /** Task thread: wait until the loop hands over the baton. */
    void awaitTurn() {
        while (!taskHolds) {
            LockSupport.park(this);
        }
    }

    /** Task thread: give the baton back to the loop. */
    void giveBack() {
        taskHolds = false;
        LockSupport.unpark(loopThread);
    }

    /** Task thread: give the baton back and wait for the next turn. */
    void pass() {
        giveBack();
        awaitTurn();
    }
}
