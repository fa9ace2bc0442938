package dev.weft.channel;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A channel's lock, which also holds the heads of the channel's three wait queues: its senders, its receivers, and
 * the waiters completed under it and still to wake. Between two loops on two cores both sides take the lock in turn,
 * item after item, and whatever they write under it crosses from one core's cache to the other's. Kept beside the
 * lock's state word, the heads cross with it, on one cache line; a {@code ReentrantLock} kept its state in an object
 * of its own and each queue its head in another, four lines in all. Not reentrant: nothing locks a channel twice.
 */
final class ChannelLock<T> extends AbstractQueuedSynchronizer {
    private Pending<T> firstSender;
    private Pending<T> firstReceiver;
    private Waiter firstWoken;

    /** Senders waiting for room or a receiver; live only while the buffer is full. */
    final WaitQueue<Pending<T>> senders = new WaitQueue<>() {
        @Override
        Pending<T> first() {
            return firstSender;
        }

        @Override
        void first(Pending<T> head) {
            firstSender = head;
        }
    };

    /** Receivers waiting for an item; live only while the buffer is empty. */
    final WaitQueue<Pending<T>> receivers = new WaitQueue<>() {
        @Override
        Pending<T> first() {
            return firstReceiver;
        }

        @Override
        void first(Pending<T> head) {
            firstReceiver = head;
        }
    };

    /** Waiters completed under the lock, woken once it is let go. */
    final WaitQueue<Waiter> woken = new WaitQueue<>() {
        @Override
        Waiter first() {
            return firstWoken;
        }

        @Override
        void first(Waiter head) {
            firstWoken = head;
        }
    };

    /** The owner is kept (on the same line) for {@link #isHeldByCurrentThread}: a message made under the lock. */
    @Override
    protected boolean tryAcquire(int ignored) {
        if (getState() == 0 && compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int ignored) {
        setExclusiveOwnerThread(null);
        setState(0);
        return true;
    }

    /** Whether nobody holds the lock now (a volatile read). */
    boolean isFree() {
        return getState() == 0;
    }

    boolean isHeldByCurrentThread() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    boolean tryLock() {
        return tryAcquire(1);
    }

    /** Take the lock, parking while it is busy. */
    void lock() {
        acquire(1);
    }

    void unlock() {
        release(1);
    }
}
