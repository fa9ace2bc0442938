package dev.weft.sync;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Tasks;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A queue between the tasks of one loop, as asyncio's {@code Queue}, {@code LifoQueue} and {@code PriorityQueue}:
 * {@link #put} suspends the task while the queue is full, {@link #get} while it is empty; {@link #taskDone()} and
 * {@link #join()} track the items consumers have finished; {@link #shutdown()} ends it.
 *
 * <pre>{@code
 * AsyncQueue<String> jobs = AsyncQueue.fifo(100);
 * Tasks.spawn(() -> { for (String cc : codes) jobs.put(cc); jobs.shutdown(); return null; });
 * while (true) { String cc = jobs.get(); download(cc); jobs.taskDone(); }  // until QueueShutDownException
 * }</pre>
 *
 * <p>Fair and cancellation-safe. Getters are served first come, first served, and so are putters waiting for room.
 * When an item arrives for a waiting getter (or room for a waiting putter), that waiter is woken and the item (or the
 * room) is set aside for it: no newcomer can take it first. The getter takes its item when it runs, so one cancelled
 * before it ran leaves it in place for the next getter, and a putter cancelled while waiting inserts nothing. Items
 * set aside are not counted by {@link #size()}.
 *
 * <p>Null items are refused. Bound to the loop it is first used on, and confined to it: see {@link dev.weft.sync}.
 *
 * <p><b>A queue is not a channel.</b> An AsyncQueue serves the tasks of one loop, as asyncio's queues do: it needs no
 * lock, and a task of another loop or a foreign thread that touches it fails. To pass items between loops (the loops
 * of a {@link dev.weft.loop.LoopGroup}) or to and from plain threads, use a {@link dev.weft.channel.Channel}, which any
 * loop's tasks and any thread may share (Go's rule), and which {@link dev.weft.channel.Select} can wait on with
 * others.
 */
public final class AsyncQueue<T> extends LoopBound {
    private final ItemStore<T> items;
    private final int maxSize;
    private final Waiters<Boolean> getters = new Waiters<>(); // woken with true when an item is set aside for them
    private final Waiters<Boolean> putters = new Waiters<>(); // woken with true when room is set aside for them
    private final Waiters<Boolean> joiners = new Waiters<>();
    private int itemsSetAside; // stored items promised to getters that were woken and have not yet run
    private int roomSetAside; // free slots promised to putters that were woken and have not yet run
    private int unfinished;
    private boolean shutdown;

    private AsyncQueue(ItemStore<T> items, int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("a queue's maxSize must be >= 0 (0 for unbounded), got " + maxSize);
        }
        this.items = items;
        this.maxSize = maxSize;
    }

    /**
     * Create a first-in, first-out queue holding at most maxSize items (0: unbounded).
     *
     * @throws IllegalArgumentException if maxSize is negative
     */
    public static <T> AsyncQueue<T> fifo(int maxSize) {
        return new AsyncQueue<>(new ItemStore.Ends<>(false), maxSize);
    }

    /**
     * Create a last-in, first-out queue (a stack) holding at most maxSize items (0: unbounded).
     *
     * @throws IllegalArgumentException if maxSize is negative
     */
    public static <T> AsyncQueue<T> lifo(int maxSize) {
        return new AsyncQueue<>(new ItemStore.Ends<>(true), maxSize);
    }

    /**
     * Create a queue that hands out its least item first by natural order, equal items oldest first.
     *
     * @throws IllegalArgumentException if maxSize is negative
     */
    public static <T extends Comparable<? super T>> AsyncQueue<T> priority(int maxSize) {
        return priority(maxSize, Comparator.naturalOrder());
    }

    /**
     * Create a queue that hands out its least item first by the comparator, equal items oldest first.
     *
     * @throws IllegalArgumentException if maxSize is negative
     */
    public static <T> AsyncQueue<T> priority(int maxSize, Comparator<? super T> order) {
        return new AsyncQueue<>(new ItemStore.Priority<>(Objects.requireNonNull(order, "order")), maxSize);
    }

    // ---- putting

    /**
     * Add the item, suspending the task while the queue is full and earlier putters wait.
     *
     * @throws QueueShutDownException if the queue is shut down, or is while the task waits; the item was not added
     * @throws CancellationException  if the task is cancelled while waiting; the item was not added
     * @throws IllegalStateException  if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        EventLoop loop = loop();
        Tasks.checkCancelled();
        while (true) {
            if (shutdown) {
                throw shutDown("put");
            }
            if (hasRoom()) {
                insert(item);
                return;
            }
            Future<Boolean> waiter = putters.add(loop, this, "put");
            if (putters.await(waiter, this::putterLeft)) {
                roomSetAside--; // it is this task's now
            }
        }
    }

    /**
     * Add the item now, without waiting (asyncio's {@code put_nowait}).
     *
     * @throws QueueFullException     if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     */
    public void putNow(T item) {
        Objects.requireNonNull(item, "item");
        loop();
        if (shutdown) {
            throw shutDown("putNow");
        }
        if (!hasRoom()) {
            throw new QueueFullException(this + " is full: putNow() cannot add an item; put() waits for room");
        }
        insert(item);
    }

    private boolean hasRoom() {
        return maxSize == 0 || items.size() + roomSetAside < maxSize;
    }

    private void insert(T item) {
        items.add(item);
        unfinished++;
        wakeGetters();
    }

    /** A woken putter leaves without putting: its room goes to the next putter. */
    private void putterLeft(boolean roomWasSetAside) {
        if (roomWasSetAside) {
            roomSetAside--;
            wakePutters();
        }
    }

    private void wakePutters() {
        while (maxSize > 0 && items.size() + roomSetAside < maxSize && putters.wakeNext(Boolean.TRUE) != null) {
            roomSetAside++;
        }
    }

    // ---- getting

    /**
     * Remove and return the next item, suspending the task while none is free and earlier getters wait.
     *
     * @throws QueueShutDownException if the queue is shut down and empty, or is shut down empty while the task waits
     * @throws CancellationException  if the task is cancelled while waiting; no item was taken
     * @throws IllegalStateException  if it has to wait and the caller is no task (see {@link dev.weft.sync})
     */
    public T get() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        while (true) {
            if (items.size() - itemsSetAside > 0) {
                return take();
            }
            if (shutdown) {
                throw shutDown("get");
            }
            Future<Boolean> waiter = getters.add(loop, this, "get");
            if (getters.await(waiter, this::getterLeft)) {
                itemsSetAside--; // one stored item is this task's now
            }
        }
    }

    /**
     * Remove and return the next item now, without waiting (asyncio's {@code get_nowait}).
     *
     * @throws QueueEmptyException    if no item is free to take
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public T getNow() {
        loop();
        if (items.size() - itemsSetAside > 0) {
            return take();
        }
        if (shutdown) {
            throw shutDown("getNow");
        }
        throw new QueueEmptyException(this + " is empty: getNow() has no item to return; get() waits for one");
    }

    private T take() {
        T item = items.take();
        wakePutters();
        return item;
    }

    /** A woken getter leaves without taking: its item goes to the next getter. */
    private void getterLeft(boolean itemWasSetAside) {
        if (itemWasSetAside) {
            itemsSetAside--;
            wakeGetters();
        }
    }

    private void wakeGetters() {
        while (items.size() - itemsSetAside > 0 && getters.wakeNext(Boolean.TRUE) != null) {
            itemsSetAside++;
        }
    }

    // ---- finishing

    /**
     * Mark one item taken from the queue as processed; when every item put has been, {@link #join()} returns.
     *
     * @throws InvalidStateException if called more times than items were put
     */
    public void taskDone() {
        loop();
        if (unfinished <= 0) {
            throw new InvalidStateException("taskDone() called more times than items were put into " + this
                    + "; call it once per item taken, after processing it");
        }
        if (--unfinished == 0) {
            joiners.wakeAll(Boolean.TRUE);
        }
    }

    /**
     * Return once every item put has been marked done with {@link #taskDone()}; suspend the task until then.
     *
     * @throws CancellationException if the task is cancelled while waiting
     */
    public void join() {
        EventLoop loop = loop();
        Tasks.checkCancelled();
        if (unfinished == 0) {
            return;
        }
        Future<Boolean> waiter = joiners.add(loop, this, "join");
        joiners.await(waiter, finished -> { });
    }

    /**
     * Stop taking items: put fails from now on, get hands out what is left and then fails; tasks waiting in put, and
     * in get while nothing is left, wake with {@link QueueShutDownException}. Idempotent.
     */
    public void shutdown() {
        loop();
        if (!shutdown) {
            shutdown = true;
            getters.wakeAll(Boolean.FALSE); // nothing set aside: each looks again, and finds nothing or its item
            putters.wakeAll(Boolean.FALSE);
        }
    }

    /**
     * {@link #shutdown()} and remove every item, which are returned in the order gets would have taken them; they
     * count as done for {@link #join()}. Nothing is dropped: an item set aside for a woken getter is returned here, and
     * that getter fails with {@link QueueShutDownException} instead.
     */
    public List<T> shutdownNow() {
        shutdown();
        List<T> left = items.drain();
        unfinished = Math.max(0, unfinished - left.size());
        if (unfinished == 0) {
            joiners.wakeAll(Boolean.TRUE);
        }
        return left;
    }

    private QueueShutDownException shutDown(String operation) {
        return new QueueShutDownException(operation + "() on " + this + ", which is shut down: "
                + (operation.startsWith("put") ? "it takes no more items" : "it is empty and will stay so"));
    }

    // ---- state

    /** The items free to take now: items set aside for woken getters do not count. */
    public int size() {
        loop();
        return Math.max(0, items.size() - itemsSetAside);
    }

    /** Whether no item is free to take: {@link #get()} would wait, {@link #getNow()} would fail. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** Whether no room is free: {@link #put} would wait, {@link #putNow} would fail. Never for an unbounded queue. */
    public boolean isFull() {
        loop();
        return !hasRoom();
    }

    /** The most items it holds; 0 for unbounded. */
    public int maxSize() {
        return maxSize;
    }

    /** Whether {@link #shutdown()} was called. */
    public boolean isShutdown() {
        loop();
        return shutdown;
    }

    @Override
    public String toString() {
        return "AsyncQueue@" + Integer.toHexString(System.identityHashCode(this)) + "[" + items.order()
                + ", " + items.size() + (maxSize > 0 ? "/" + maxSize : "") + " items"
                + (shutdown ? ", shut down" : "") + "]";
    }
}
