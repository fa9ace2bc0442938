package dev.weft.channel;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A channel in Go's sense: senders hand items to receivers, through a buffer or hand to hand. Unlike
 * {@link dev.weft.sync.AsyncQueue}, which belongs to one loop (asyncio's rule), a channel may be shared by tasks of
 * any loops, on different threads — the loops of a {@link dev.weft.loop.LoopGroup} pass work through it — and by
 * threads that run no loop (Go's rule). A call that has to wait suspends a task, so its loop runs on, and blocks a
 * plain thread.
 *
 * <pre>{@code
 * Channel<Integer> squares = Channel.<Integer>buffered(16).named("squares");
 * group.spawn(() -> { for (int i = 0; i < 100; i++) squares.send(i * i); squares.close(); });
 * for (int square : squares) total += square;      // ends once closed and drained
 * }</pre>
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link #unbuffered()}: a rendezvous; {@code send} waits until a receiver takes the item.</li>
 *   <li>{@link #buffered(int)}: up to n items wait in the channel; {@code send} waits while it is full, or drops an
 *       item instead ({@link #buffered(int, Overflow)}).</li>
 *   <li>{@link #conflated()}: keeps the latest item only; {@code send} never waits.</li>
 *   <li>{@link #unlimited()}: {@code send} never waits, and memory is the limit.</li>
 * </ul>
 *
 * <h2>Waiting, fairness and cancellation</h2>
 * Senders waiting for room (or a receiver) are served first come, first served; so are receivers waiting for items.
 * A waiting task cancelled before its counterpart came sends, or takes, nothing, and throws the
 * {@link CancellationException}. If the hand-over happened before the cancellation landed, the call completes (the
 * send returns, the receive returns its item) and the cancellation stands, thrown by the task's next wait: an item is
 * never lost between the two sides. In short, a send or receive that throws CancellationException had no effect; one
 * that returns had its effect. A thread that runs no loop is cancelled by interrupting it, with the same rule (its
 * interrupt flag stays set). Level-triggered, as every Weft wait: a cancelled task's send and receive throw at once.
 *
 * <h2>Closing</h2>
 * {@link #close()} ends the sending: sends fail with {@link SendOnClosedChannelException} (waiting senders too; their
 * items are not sent), while receivers drain what is buffered and then see the end — {@link #receive()} throws
 * {@link ChannelClosedException}, a for-each ends. Only the sending side should close a channel.
 *
 * <p>Null items are refused. Every method is thread-safe; a small lock guards the channel's state, never held while
 * anyone waits. On an unbuffered channel a task that spins for its counterpart waits outside the lock, in a slot the
 * other side answers with one compare-and-set ({@code Lane}): the fast path between two loops. {@link Select} waits
 * on several channels at once.
 */
public final class Channel<T> implements Iterable<T> {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Waiter[] NONE = {};
    /** How many times a busy lock is tried again before blocking on it; not at all on one core (see {@link #lock}). */
    private static final int LOCK_SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 200 : 0;
    /** How many times a task looks at a lane busy for a moment (a sender posting or leaving) before going to the lock. */
    private static final int SETTLING_LOOKS = 64;
    /** A lane's waiter spins for its answer, which on one core cannot come while it spins: no lane there. */
    private static final boolean LANES = Runtime.getRuntime().availableProcessors() > 1;
    /** What a lane's sender was told: the channel closed before a receiver took its item. */
    private static final Object REFUSED = new Object();
    /** A lane's waiter left it unanswered and holds the lock: it queues at the front before anyone else can. */
    private static final Object LEFT_LANE = new Object();
    /**
     * As {@link #LEFT_LANE}, but it left because its second look found others queued: they came while it posted itself,
     * so it was never the oldest, and it queues at the back.
     */
    private static final Object LEFT_LANE_LATE = new Object();

    /** The order in which a select tries its channels' locks, the same for every select. */
    final long id = IDS.incrementAndGet();
    final ChannelLock<T> lock = new ChannelLock<>();
    private final int capacity;
    private final Overflow overflow;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final WaitQueue<Pending<T>> senders = lock.senders;
    private final WaitQueue<Pending<T>> receivers = lock.receivers;
    private final WaitQueue<Waiter> woken = lock.woken;
    /** Where a plain send and receive of an unbuffered channel meet without the lock; null for the others. */
    final Lane lane; // package-private for LaneTest
    private volatile boolean closed; // written under the lock; read without it by a waiter in the lane

    private volatile String name;

    private Channel(int capacity, Overflow overflow) {
        this.capacity = capacity;
        this.overflow = overflow;
        this.lane = capacity == 0 && LANES ? new Lane() : null;
    }

    // ---- making one

    /** A rendezvous channel: each send waits until a receiver takes its item (Go's {@code make(chan T)}). */
    public static <T> Channel<T> unbuffered() {
        return new Channel<>(0, Overflow.SUSPEND);
    }

    /**
     * A channel that holds up to {@code capacity} items; a send waits while it is full. {@code buffered(0)} is
     * {@link #unbuffered()}.
     *
     * @throws IllegalArgumentException if capacity is negative
     */
    public static <T> Channel<T> buffered(int capacity) {
        return buffered(capacity, Overflow.SUSPEND);
    }

    /**
     * A channel that holds up to {@code capacity} items and does what {@code overflow} says with a send that finds it
     * full.
     *
     * @throws IllegalArgumentException if capacity is negative, or 0 with a dropping policy (there is no buffer to
     *                                  drop from; {@link #conflated()} is the channel that keeps only the latest)
     */
    public static <T> Channel<T> buffered(int capacity, Overflow overflow) {
        Objects.requireNonNull(overflow, "overflow");
        if (capacity < 0) {
            throw new IllegalArgumentException("a channel's capacity must be >= 0 (0: unbuffered), got " + capacity);
        }
        if (capacity == 0 && overflow != Overflow.SUSPEND) {
            throw new IllegalArgumentException("an unbuffered channel has no buffer to drop from, so " + overflow
                    + " needs a capacity of at least 1; Channel.conflated() keeps only the latest item");
        }
        return new Channel<>(capacity, overflow);
    }

    /** A channel that keeps only the latest item: a send replaces an item not yet received, and never waits. */
    public static <T> Channel<T> conflated() {
        return new Channel<>(1, Overflow.DROP_OLDEST);
    }

    /** A channel without a bound: a send never waits. Use it where the senders are bounded by other means. */
    public static <T> Channel<T> unlimited() {
        return new Channel<>(Integer.MAX_VALUE, Overflow.SUSPEND);
    }

    /** Name the channel, for its {@link #toString()} and so for every error about it; returns this channel. */
    public Channel<T> named(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    // ---- sending

    /**
     * Send the item: hand it to a waiting receiver or put it in the buffer, waiting while there is no room (or, if
     * unbuffered, no receiver). A dropping channel never waits.
     *
     * @throws SendOnClosedChannelException if the channel is closed, or is closed while this waits; nothing was sent
     * @throws CancellationException        if the task is cancelled (the thread interrupted) before the item was
     *                                      taken; nothing was sent
     * @throws BlockingOnLoopException      if it has to wait on a loop thread outside a task
     */
    public void send(T item) {
        Objects.requireNonNull(item, "item");
        Tasks.checkCancelled();
        Object throughLane = lane == null ? null : sendInLane(item);
        if (throughLane == Pending.SENT) {
            return;
        }
        if (throughLane == REFUSED) {
            throw new SendOnClosedChannelException(this);
        }
        boolean leftLane = throughLane == LEFT_LANE || throughLane == LEFT_LANE_LATE; // holding the lock
        Pending<T> pending;
        if (!leftLane) {
            lock();
        }
        try {
            if (closed) {
                throw new SendOnClosedChannelException(this);
            }
            if (offer(item)) {
                return;
            }
            pending = enqueue(Waiter.forCaller("Channel.send()"), item, false, throughLane == LEFT_LANE);
        } finally {
            unlock();
        }
        if (await(pending) instanceof Pending.Refused) {
            throw new SendOnClosedChannelException(this);
        }
    }

    /**
     * Send the item if that needs no wait. A boolean, because there are exactly two answers: sent (handed over,
     * buffered, or dropped by this channel's overflow policy, which never waits), or not, because the channel is full.
     * A closed channel is no third answer but a bug, as for {@link #send}.
     *
     * @throws SendOnClosedChannelException if the channel is closed
     */
    public boolean trySend(T item) {
        Objects.requireNonNull(item, "item");
        lock();
        try {
            if (closed) {
                throw new SendOnClosedChannelException(this);
            }
            return offer(item);
        } finally {
            unlock();
        }
    }

    /**
     * Send through the lane: hand the item to a receiver waiting there, or, if the caller is a task that may spin,
     * wait there for one. {@link Pending#SENT} once a receiver took the item, {@link #REFUSED} if the channel was
     * closed meanwhile, {@link #LEFT_LANE} or {@link #LEFT_LANE_LATE} (holding the lock) if no receiver came while the
     * task spun, or null if the lane was no way (the channel closed, another sender waiting there, the lock or the
     * queues in use). A lane busy with a sender posting or leaving, or a lost race for it, is worth a few more looks
     * before the task gives up on it.
     */
    private Object sendInLane(T item) {
        AbstractEventLoop loop = null; // looked up once the lane has no receiver: an answer needs none
        for (int looks = 0; looks <= SETTLING_LOOKS; looks++) {
            if (closed) { // a send begun after close() returned must fail, even if a receiver posted late
                return null;
            }
            if (lane.deliver(item)) {
                return Pending.SENT;
            }
            if ((loop == null && (loop = Waiter.spinningLoop()) == null) || !quiet()) {
                return null;
            }
            Object sender = lane.postSender(item);
            if (sender != null) {
                return waitAsSender(loop, sender);
            }
            if (lane.waitingSender() == Boolean.TRUE) { // else the next look may find a receiver, or the lane free
                return null;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    private Object waitAsSender(AbstractEventLoop loop, Object sender) {
        boolean settled = quiet();
        if (!(settled && loop.spinForAnswer(() -> lane.answered(sender)))) {
            lock(); // leave under the lock: the lane stays taken until this sender is queued, so none newer gets ahead
            if (lane.leaveAsSender(sender)) {
                return settled ? LEFT_LANE : LEFT_LANE_LATE;
            }
            unlock();
        }
        return lane.sent(sender) ? Pending.SENT : REFUSED;
    }

    /** Under the lock: hand the item to a waiting receiver or buffer it; false if the sender has to wait. */
    boolean offer(T item) {
        if (lane != null && lane.deliver(item)) {
            return true;
        }
        Pending<T> receiver;
        while ((receiver = receivers.pollFirst()) != null) {
            if (receiver.receive(this, item)) {
                return true;
            }
        }
        if (buffer.size() < capacity) {
            buffer.addLast(item);
            return true;
        }
        switch (overflow) {
            case DROP_OLDEST -> {
                buffer.pollFirst();
                buffer.addLast(item);
                return true;
            }
            case DROP_NEWEST -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    // ---- receiving

    /**
     * Receive the next item, waiting while there is none.
     *
     * @throws ChannelClosedException  if the channel is closed and drained, or is closed while this waits
     * @throws CancellationException   if the task is cancelled (the thread interrupted) before an item was handed to
     *                                 it; nothing was taken
     * @throws BlockingOnLoopException if it has to wait on a loop thread outside a task
     */
    public T receive() {
        T item = receiveOrNull();
        if (item == null) {
            throw new ChannelClosedException(this);
        }
        return item;
    }

    /** {@link #receive()}, but null at the end: what iteration uses, since reaching the end is no error there. */
    @SuppressWarnings("unchecked")
    private T receiveOrNull() {
        Tasks.checkCancelled();
        Object throughLane = lane == null ? null : receiveInLane();
        if (throughLane == Pending.CLOSED) {
            return null;
        }
        boolean leftLane = throughLane == LEFT_LANE || throughLane == LEFT_LANE_LATE; // holding the lock
        if (throughLane != null && !leftLane) {
            return (T) throughLane;
        }
        Pending<T> pending;
        if (!leftLane) {
            lock();
        }
        try {
            T item = poll();
            if (item != null || closed) {
                return item;
            }
            pending = enqueue(Waiter.forCaller("Channel.receive()"), null, false, throughLane == LEFT_LANE);
        } finally {
            unlock();
        }
        Object result = await(pending);
        @SuppressWarnings("unchecked")
        T received = result == Pending.CLOSED ? null : (T) result;
        return received;
    }

    /**
     * Receive through the lane: take the item of a sender waiting there, or, if the caller is a task that may spin,
     * wait there for one. The item, {@link Pending#CLOSED} if the channel was closed meanwhile, or, as for
     * {@link #sendInLane}, {@link #LEFT_LANE} or {@link #LEFT_LANE_LATE} (holding the lock), or null.
     */
    private Object receiveInLane() {
        AbstractEventLoop loop = null; // as for a sender
        for (int looks = 0; looks <= SETTLING_LOOKS; looks++) {
            if (closed) { // a receive begun after close() returned sees the end, even if a sender posted late
                return null;
            }
            Object item = lane.take();
            if (item != null) {
                return item;
            }
            if ((loop == null && (loop = Waiter.spinningLoop()) == null) || !quiet()) {
                return null;
            }
            Lane.Receiver receiver = lane.postReceiver();
            if (receiver != null) {
                return waitAsReceiver(loop, receiver);
            }
            if (lane.waitingSender() == Boolean.FALSE) {
                return null;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    private Object waitAsReceiver(AbstractEventLoop loop, Lane.Receiver receiver) {
        boolean settled = quiet();
        if (!(settled && loop.spinForAnswer(receiver::answered))) {
            lock(); // as for a sender
            if (lane.leaveAsReceiver(receiver)) {
                return settled ? LEFT_LANE : LEFT_LANE_LATE;
            }
            unlock();
        }
        Object item = receiver.item();
        return item != null ? item : Pending.CLOSED;
    }

    /**
     * Whether a waiter may stay in the lane: the channel open, its lock free and its queues empty. A waiter that
     * posted itself looks again, after: whoever takes the lock meanwhile looks at the lane after taking it, so one of
     * the two sees the other.
     */
    private boolean quiet() {
        return !closed && lock.isFree() && senders.isEmpty() && receivers.isEmpty();
    }

    /**
     * Receive an item if one is there now; never waits. The result tells an empty channel from a closed and drained
     * one in one atomic look (see {@link TryReceive}).
     */
    public TryReceive<T> tryReceive() {
        lock();
        try {
            T item = poll();
            if (item != null) {
                return new TryReceive.Item<>(item);
            }
            return closed ? new TryReceive.Closed<>() : new TryReceive.Empty<>();
        } finally {
            unlock();
        }
    }

    /**
     * Under the lock: take the next item for a receiver, or null if none is there. A buffered item comes first, and
     * the first waiting sender moves its item into the freed place; an unbuffered channel takes from a waiting sender.
     */
    @SuppressWarnings("unchecked")
    T poll() {
        T item = buffer.pollFirst();
        if (item == null && lane != null && !closed && (item = (T) lane.take()) != null) {
            return item;
        }
        Pending<T> sender;
        while ((sender = senders.pollFirst()) != null) {
            if (sender.taken(this)) {
                if (item == null) {
                    return sender.item;
                }
                buffer.addLast(sender.item);
                break;
            }
        }
        return item;
    }

    // ---- waiting

    /**
     * Under the lock: queue a sender waiting with its item, or a receiver (no item); plain, or a select's case. At the
     * front ({@code first}) for one that waited in the lane while nobody was queued: it came before everyone queued
     * since.
     */
    Pending<T> enqueue(Waiter waiter, T item, boolean selecting, boolean first) {
        Pending<T> pending = new Pending<>(waiter, item, selecting);
        WaitQueue<Pending<T>> queue = item == null ? receivers : senders;
        if (first) {
            queue.addFirst(pending);
        } else {
            queue.addLast(pending);
        }
        return pending;
    }

    /** Wait for a plain send or receive; if it gives up (cancelled), leave the queue before throwing. */
    private Object await(Pending<T> pending) {
        try {
            return pending.waiter.await(null, null);
        } catch (CancellationException cancelled) {
            withdraw(pending);
            throw cancelled;
        }
    }

    /** Take a waiter that is done waiting out of the queues; nothing if a completer took it out already. */
    void withdraw(Pending<T> pending) {
        lock();
        try {
            (pending.item == null ? receivers : senders).remove(pending);
        } finally {
            unlock();
        }
    }

    // ---- the lock

    /**
     * Under the lock: complete the waiter with the result, and wake it once the lock is let go ({@link #unlock}); false
     * if someone else completed it first. Nothing but field updates happens under the lock: waking a waiter may take
     * its loop's locks or make a system call, and a task that blocked there (a carried task parks) while holding the
     * lock could stop its own loop.
     */
    boolean complete(Waiter waiter, Object result) {
        if (!waiter.claim(result)) {
            return false;
        }
        woken.addLast(waiter);
        return true;
    }

    /**
     * Take the lock, trying a busy one again for a moment before blocking. It is held for a few field updates only,
     * while blocking parks the caller — a carried task's virtual thread leaves its loop's thread and has to be
     * scheduled back — which costs microseconds where the holder needed nanoseconds. Between two loops on two threads
     * the lock is busy more often than not: after each hand-off both sides reach for it at once. (Measured on issue 15:
     * 9 in 10 sends and receives found it busy, and a hand-off took 1.6–1.8 µs; with this, 1.1–1.2 µs.) On one core
     * the holder cannot run while the caller spins, so there it blocks at once.
     *
     * <p>A loop's own thread outside a task (a callback's {@code trySend}) never blocks on it, but keeps trying, yielding
     * its core: blocked, it might wait in the lock's queue behind a task of its own loop, to which a holder letting go
     * hands the lock — and that task only this very thread can run (a review found the hang). Nothing a loop thread
     * waits for here can be a task of its loop: a task never holds the lock while its loop runs something else.
     */
    void lock() {
        for (int tries = 0; !lock.tryLock(); tries++) {
            if (tries >= LOCK_SPINS) {
                if (tries == LOCK_SPINS && !onLoopOutsideTask()) {
                    lock.lock();
                    return;
                }
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static boolean onLoopOutsideTask() {
        return EventLoop.currentOrNull() != null && Task.currentOrNull() == null;
    }

    /** Let the lock go, then wake the waiters completed under it. */
    void unlock() {
        if (woken.size() <= 1) { // none, or a hand-off's one: the common case, without an array
            Waiter one = woken.pollFirst();
            lock.unlock();
            if (one != null) {
                one.wake();
            }
        } else {
            wake(release());
        }
    }

    /** Let the lock go and return the waiters completed under it, for a caller to wake once it holds no lock. */
    Waiter[] release() {
        int count = woken.size();
        Waiter[] completed = count == 0 ? NONE : new Waiter[count];
        for (int i = 0; i < completed.length; i++) {
            completed[i] = woken.pollFirst();
        }
        lock.unlock();
        return completed;
    }

    /** Wake waiters completed under a lock that is now let go. */
    static void wake(Waiter[] waiters) {
        for (Waiter waiter : waiters) {
            waiter.wake();
        }
    }

    // ---- closing and state

    /**
     * Close the channel for sending: later sends fail, and so do the sends waiting now (their items are not sent);
     * receivers take what is buffered and then see the end. Returns false if it was closed already (idempotent).
     */
    public boolean close() {
        lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            if (lane != null) {
                lane.close();
            }
            receivers.drain(receiver -> receiver.closed(this)); // waiting, so the buffer is empty: the end for each
            senders.drain(sender -> sender.refused(this));
            return true;
        } finally {
            unlock();
        }
    }

    /** Whether {@link #close()} was called; items may still be left to receive. */
    public boolean isClosed() {
        return closed;
    }

    /** Under the lock, for a select. */
    boolean closedLocked() {
        return closed;
    }

    /** How many items wait in the buffer now. */
    public int size() {
        lock();
        try {
            return buffer.size();
        } finally {
            unlock();
        }
    }

    /** How many items the buffer holds at most: 0 for unbuffered, {@link Integer#MAX_VALUE} for unlimited. */
    public int capacity() {
        return capacity;
    }

    /**
     * The items in order, receiving each as the loop asks for it: {@code hasNext()} waits as {@link #receive()} does,
     * and the iteration ends once the channel is closed and drained. Each call makes a new iterator over the same
     * channel, so two loops share the items between them.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = receiveOrNull();
                }
                return next != null;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException(Channel.this + " is closed and drained");
                }
                T item = next;
                next = null;
                return item;
            }
        };
    }

    /**
     * The name if given, the kind, and the state: the items buffered and the senders and receivers queued (among them
     * any that stopped waiting and have yet to leave). The state is left out while another thread holds the lock:
     * toString never waits. Under the lock (the message of an error thrown there) it shows the state as it is.
     */
    @Override
    public String toString() {
        String kind = capacity == 0 ? "unbuffered"
                : capacity == Integer.MAX_VALUE ? "unlimited"
                : capacity == 1 && overflow == Overflow.DROP_OLDEST ? "conflated"
                : "buffered(" + capacity + (overflow == Overflow.SUSPEND ? "" : ", " + overflow) + ")";
        String label = name != null ? "'" + name + "'" : "@" + Integer.toHexString(System.identityHashCode(this));
        StringBuilder text = new StringBuilder("Channel ").append(label).append(" [").append(kind);
        boolean held = lock.isHeldByCurrentThread();
        if (held || lock.tryLock()) {
            try {
                count(text, buffer.size(), " items");
                Boolean inLane = lane == null ? null : lane.waitingSender();
                count(text, senders.size() + (inLane == Boolean.TRUE ? 1 : 0), " senders queued");
                count(text, receivers.size() + (inLane == Boolean.FALSE ? 1 : 0), " receivers queued");
                if (closed) {
                    text.append(", closed");
                }
            } finally {
                if (!held) {
                    lock.unlock();
                }
            }
        }
        return text.append("]").toString();
    }

    private static void count(StringBuilder text, int count, String what) {
        if (count > 0) {
            text.append(", ").append(count).append(what);
        }
    }
}
