package dev.weft.netty;

import io.netty.channel.ManualIoEventLoop;

/**
 * Runs the Netty operations of one channel in the order Weft code asked for them, on the loop's own thread.
 *
 * <p>A Netty channel may only be driven from its event loop's thread, and Netty decides that with a plain thread
 * comparison. Weft tasks are virtual threads carried by that same platform thread (contract 2), so inside a task Netty
 * sees a stranger and would queue the operation, while a callback's operation runs at once: a task's write could be
 * overtaken by a callback's. So: an operation runs at once only on the loop's thread with nothing of this channel
 * queued; otherwise it joins Netty's task queue, which the loop runs in its next poll, behind the earlier ones.
 * Confined to the loop (tasks and callbacks never run at the same time), hence no synchronization.
 */
final class ChannelOps {
    private final ManualIoEventLoop netty;
    private int queued;

    ChannelOps(ManualIoEventLoop netty) {
        this.netty = netty;
    }

    /** Whether an operation asked for now would run at once (so the caller may skip making a Runnable of it). */
    boolean canRunNow() {
        return queued == 0 && netty.inEventLoop();
    }

    void run(Runnable operation) {
        if (canRunNow()) {
            operation.run();
            return;
        }
        queued++;
        netty.execute(() -> {
            queued--;
            operation.run();
        });
    }
}
