package dev.weft.vthreads;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a UDP endpoint: a queue the loop appends to and a virtual thread that sends it, in order, with
 * blocking sends (a full socket buffer parks the thread, not the loop). Each datagram's outcome goes back to the loop.
 * The lock guards only the queue, never a send. Started with the first datagram.
 */
final class VirtualThreadDatagramSender {
    /** What the loop hears, on the loop: one datagram of this size is done; error is null if it went out. */
    interface Outcome {
        void sent(int size, SocketAddress target, IOException error);
    }

    private record Pending(ByteBuffer data, SocketAddress target) {
    }

    private final VirtualThreadEventLoop loop;
    private final DatagramChannel channel;
    private final Outcome outcome;
    private final String threadName;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by lock
    private boolean stopped; // guarded by lock
    private boolean started; // guarded by lock

    VirtualThreadDatagramSender(VirtualThreadEventLoop loop, DatagramChannel channel, Outcome outcome,
                                String threadName) {
        this.loop = loop;
        this.channel = channel;
        this.outcome = outcome;
        this.threadName = threadName;
    }

    /** Loop: queue a datagram; target null sends to the connected peer. */
    void offer(ByteBuffer data, SocketAddress target) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            queue.add(new Pending(data, target));
            if (!started) {
                started = true;
                loop.startIoThread(threadName, this::run);
            } else {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: drop the queue and end the thread. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            Pending next;
            lock.lock();
            try {
                while (queue.isEmpty() && !stopped) {
                    notEmpty.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                next = queue.poll();
            } finally {
                lock.unlock();
            }
            int size = next.data().remaining();
            IOException error = null;
            try {
                if (next.target() == null) {
                    channel.write(next.data());
                } else {
                    channel.send(next.data(), next.target());
                }
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return; // closed by us
                }
                error = e;
            }
            IOException failure = error;
            if (!loop.post(() -> outcome.sent(size, next.target(), failure))) {
                return;
            }
        }
    }
}
