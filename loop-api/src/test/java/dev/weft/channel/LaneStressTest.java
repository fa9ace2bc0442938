package dev.weft.channel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The lane alone, driven by plain threads as a channel drives it — answers with and without a lock, waits of random
 * length, leaving and closing under the lock — and a close at a random moment each round: every item taken is received
 * once, a refused item never, close answers at most one waiter, and the lane ends empty. About two seconds of rounds.
 */
class LaneStressTest {
    private static final int SIDES = 2;
    private static final int ITEMS_PER_SENDER = 2_000;

    @Test
    void handOffsRacingEachOtherAndACloseLoseNothingAndDeliverNothingTwice() throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int rounds = 0;
        do {
            round();
            rounds++;
        } while (System.nanoTime() < end);
        assertTrue(rounds > 0);
    }

    private static void round() throws Exception {
        Lane lane = new Lane();
        ReentrantLock lock = new ReentrantLock(); // the channel's lock
        boolean[] closed = {false}; // under the lock, as the channel's state
        Queue<Long> sent = new ConcurrentLinkedQueue<>();
        Queue<Long> refused = new ConcurrentLinkedQueue<>();
        Queue<Long> received = new ConcurrentLinkedQueue<>();
        AtomicInteger endsSeen = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SIDES; s++) {
            long first = (long) s << 32;
            threads.add(new Thread(() -> send(lane, lock, closed, first, sent, refused, start)));
            threads.add(new Thread(() -> receive(lane, lock, closed, received, endsSeen, start)));
        }
        threads.add(new Thread(() -> {
            awaitStart(start);
            spin(ThreadLocalRandom.current().nextInt(20_000));
            lock.lock();
            try {
                closed[0] = true;
                lane.close();
            } finally {
                lock.unlock();
            }
        }));
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread thread : threads) {
            thread.join(10_000);
            if (thread.isAlive()) {
                fail(thread + " is stuck: " + List.of(thread.getStackTrace()));
            }
        }
        List<Long> sentSorted = sent.stream().sorted().toList();
        List<Long> receivedSorted = received.stream().sorted().toList();
        assertEquals(sentSorted, receivedSorted, "every item taken was received, once");
        assertEquals(receivedSorted.size(), new HashSet<>(receivedSorted).size(), "no item received twice");
        for (Long item : refused) {
            assertFalse(received.contains(item), "refused item " + item + " was received");
        }
        assertTrue(refused.size() + endsSeen.get() <= 1, "close answered at most one waiter");
        assertNull(lane.waitingSender(), "nobody left waiting in the lane");
    }

    private static void send(Lane lane, ReentrantLock lock, boolean[] closed, long first, Queue<Long> sent,
                             Queue<Long> refused, CountDownLatch start) {
        awaitStart(start);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long item = first; item < first + ITEMS_PER_SENDER; item++) {
            if (random.nextInt(4) == 0) { // a lock holder's offer()
                lock.lock();
                try {
                    if (closed[0]) {
                        return;
                    }
                    if (lane.deliver(item)) {
                        sent.add(item);
                    }
                } finally {
                    lock.unlock();
                }
                continue;
            }
            if (lane.deliver(item)) {
                sent.add(item);
                continue;
            }
            Object node = lane.postSender(item);
            if (node == null) {
                continue;
            }
            if (!waitFor(() -> lane.answered(node))) {
                lock.lock();
                try {
                    if (lane.leaveAsSender(node)) {
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
            }
            if (lane.sent(node)) {
                sent.add(item);
            } else {
                refused.add(item);
                return;
            }
        }
    }

    private static void receive(Lane lane, ReentrantLock lock, boolean[] closed, Queue<Long> received,
                                AtomicInteger endsSeen, CountDownLatch start) {
        awaitStart(start);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            if (random.nextInt(4) == 0) { // a lock holder's poll()
                lock.lock();
                try {
                    if (closed[0] && lane.waitingSender() == null) {
                        return;
                    }
                    Object item = lane.take();
                    if (item != null) {
                        received.add((Long) item);
                    }
                } finally {
                    lock.unlock();
                }
                continue;
            }
            Object item = lane.take();
            if (item != null) {
                received.add((Long) item);
                continue;
            }
            Lane.Receiver node = lane.postReceiver();
            if (node == null) {
                continue;
            }
            if (!waitFor(node::answered)) {
                lock.lock();
                try {
                    if (lane.leaveAsReceiver(node)) {
                        continue;
                    }
                } finally {
                    lock.unlock();
                }
            }
            Object got = node.item();
            if (got == null) {
                endsSeen.incrementAndGet();
                return;
            }
            received.add((Long) got);
        }
    }

    /** A waiter's spin, of random length: whether the answer came. */
    private static boolean waitFor(java.util.function.BooleanSupplier answered) {
        for (int looks = ThreadLocalRandom.current().nextInt(200); looks > 0; looks--) {
            if (answered.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        return answered.getAsBoolean();
    }

    private static void spin(int looks) {
        for (int i = 0; i < looks; i++) {
            Thread.onSpinWait();
        }
    }

    private static void awaitStart(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
