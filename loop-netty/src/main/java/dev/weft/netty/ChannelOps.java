package dev.weft.netty;

/**
 * Runs the Netty operations of one channel in the order Weft code asked for them, on the loop's own thread.
 *
 * <p>A Netty channel may only be driven from its event loop's thread, and Netty decides that with a plain thread
 * comparison. Weft tasks are virtual threads carried by that same platform thread (contract 2), so inside a task Netty
 * sees a stranger, while a callback's operation may run at once: a task's write could be overtaken by a callback's.
 * So: an operation runs at once only on the loop's thread with nothing of this channel queued; otherwise it is queued
 * as a callback of the Weft loop, behind the earlier ones. Not on Netty's own task queue: Netty takes a task from a
 * stranger for one from another thread and wakes its I/O handler, which on io_uring is a system call (an eventfd
 * write) for every write a task makes. Once the Weft loop is closed (it is closing its channels) Netty's queue is the
 * one left. Confined to the loop (tasks and callbacks never run at the same time), hence no synchronization.
 *
 * <p>Not at once from a task by lending Netty the task's thread: Netty may park inside an operation (a contended lock
 * of its buffer allocator), and a carried task that parks gives the loop's thread back in the middle of it; a baton
 * task is another OS thread, which an io_uring ring refuses (design.md, "The Netty bridge").
 */
final class ChannelOps {
    private final NettyEventLoop loop;
    private int queued;

    ChannelOps(NettyEventLoop loop) {
        this.loop = loop;
    }

    /** Whether an operation asked for now would run at once (so the caller may skip making a Runnable of it). */
    boolean canRunNow() {
        return queued == 0 && loop.netty().inEventLoop();
    }

    void run(Runnable operation) {
        if (canRunNow()) {
            operation.run();
            return;
        }
        queued++;
        Runnable inTurn = () -> {
            queued--;
            operation.run();
        };
        if (loop.isClosed()) {
            loop.netty().execute(inTurn);
        } else {
            loop.callSoon(inTurn);
        }
    }
}
