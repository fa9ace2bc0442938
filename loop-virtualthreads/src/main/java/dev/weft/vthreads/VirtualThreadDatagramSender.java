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
 *
 * <p>{@link #queuedBytes()} counts what waits in the queue: a datagram leaves it, under the lock, when the thread
 * takes it to send, so a reply to it can never be seen while it is still counted.
 */
final class VirtualThreadDatagramSender {
    /** What the loop hears, on the loop: one datagram is done; error is null if it went out. */
    interface Outcome {
        void sent(SocketAddress target, IOException error);
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
    private long queuedBytes; // guarded by lock
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
            queuedBytes += data.remaining();
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
            queuedBytes = 0;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: the bytes of the datagrams not yet taken to be sent. */
    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
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
                queuedBytes -= next.data().remaining();
            } finally {
                lock.unlock();
            }
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
            if (!loop.post(() -> outcome.sent(next.target(), failure))) {
                return;
            }
        }
    }
}
