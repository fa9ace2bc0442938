package dev.weft.netty;

/**
 * Runs the Netty operations of one channel in the order Weft code asked for them, at once where it can.
 *
 * <p>A Netty channel may only be driven from its event loop's thread, and Netty decides that with a plain thread
 * comparison. Weft tasks are virtual threads carried by that same platform thread (contract 2), so inside a task Netty
 * sees a stranger, and would take the task's write for one from another thread: it would queue it and wake its I/O
 * handler, which on io_uring is a system call (an eventfd write) for every write a task makes. So an operation runs
 * at once on the loop's thread, and from a task of the loop with Netty's ownership lent to the task's thread for the
 * call ({@link NettyEventLoop#runAsNettyThread}), as on nio, where a task writes to its socket itself. Only when an
 * earlier operation of this channel is still queued does a new one queue behind it, as a callback of the Weft loop;
 * once the Weft loop is closed (it is closing its channels) Netty's queue is the one left. Confined to the loop (tasks
 * and callbacks never run at the same time), hence no synchronization.
 */
final class ChannelOps {
    private final NettyEventLoop loop;
    private int queued;

    ChannelOps(NettyEventLoop loop) {
        this.loop = loop;
    }

    /** Whether an operation asked for now would run at once on Netty's thread (the caller may skip a Runnable). */
    boolean canRunNow() {
        return queued == 0 && loop.netty().inEventLoop();
    }

    void run(Runnable operation) {
        if (canRunNow()) {
            operation.run();
        } else if (queued == 0 && !loop.isClosed() && loop.inLoop()) { // a task of this loop
            loop.runAsNettyThread(operation);
        } else {
            queue(operation);
        }
    }

    private void queue(Runnable operation) {
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
