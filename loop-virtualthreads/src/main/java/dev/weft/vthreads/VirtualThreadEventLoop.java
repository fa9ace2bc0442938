package dev.weft.vthreads;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.TaskMode;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.NetworkLoop;
import dev.weft.net.ReadLease;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The virtual-thread loop: no selector at all. Every socket is a blocking JDK channel driven by virtual threads of
 * its own — a reader and a writer per connection, an acceptor per server — and the JDK parks those threads in its
 * poller (epoll on Linux) while they wait. In carried mode the loop carries them itself ({@link LoopCarrier}), with a
 * stand-in while its thread is held up; in baton mode they run on the JDK's default scheduler. They never call a
 * protocol: they hand what they did to the loop with {@link #execute}, and the loop runs the callbacks, one at a
 * time, on its own thread. So the threading contract holds for user code exactly as on nio, and a callback that
 * blocks only delays its loop: the I/O threads never wait for the loop while holding anything the loop needs.
 *
 * <p>The multiplexer proper is therefore only a place to sleep: {@link #poll} parks the loop thread until a
 * submission wakes it ({@link #wakeup}) or the next timer is due.
 *
 * <p>Closing the loop lets go of every socket still open without calling protocols back, and waits (briefly) for
 * their I/O threads to end, so none outlives the loop.
 */
public final class VirtualThreadEventLoop extends AbstractEventLoop implements NetworkLoop {
    private static final System.Logger LOG = System.getLogger("dev.weft.vthreads");
    private static final long THREAD_JOIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Set<Resource> resources = ConcurrentHashMap.newKeySet();
    private final Set<Thread> ioThreads = ConcurrentHashMap.newKeySet();
    private final Object threadBuilderLock = new Object(); // not the loop itself: user code may lock that
    private Thread.Builder.OfVirtual threadBuilder; // guarded by threadBuilderLock
    private final LoopCarrier carrier; // the I/O threads' scheduler, or null: the JDK's (baton mode)

    private volatile Thread pollingThread;
    private volatile boolean woken;
    private ByteBuffer delivering; // the read buffer a dataReceived in progress sees; loop only
    private ChunkBuffer deliveringChunk; // the same, when it is a stream's chunk; loop only
    private final Map<ByteBuffer, ChunkLease> lent = new IdentityHashMap<>(); // by view; loop only
    private int heldReadBuffers; // streams' read buffers that a lease or a queued write holds; loop only
    private final SpareReadBuffers spareReadBuffers = new SpareReadBuffers(); // loop only
    private long readBuffersMade; // loop only

    public VirtualThreadEventLoop() {
        this(TaskMode.bestAvailable());
    }

    public VirtualThreadEventLoop(TaskMode taskMode) {
        super(VirtualThreadLoopProvider.NAME, taskMode);
        this.carrier = taskMode() == TaskMode.CARRIED ? new LoopCarrier(this) : null;
    }

    // ---- networking

    @Override
    public Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options) {
        checkNetworkConfined("connect");
        return VirtualThreadConnect.start(this, address, protocol, options);
    }

    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options) {
        checkNetworkConfined("listen");
        return VirtualThreadServer.listen(this, address, protocols, options, null);
    }

    /** Accept here, and run each connection on the virtual-thread loop {@code placement} names. */
    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        checkNetworkConfined("listen");
        java.util.Objects.requireNonNull(placement, "placement");
        return VirtualThreadServer.listen(this, address, protocols, options, placement);
    }

    @Override
    public Future<DatagramTransport> openDatagram(SocketAddress local, SocketAddress remote, DatagramProtocol protocol,
                                                  DatagramOptions options) {
        checkNetworkConfined("openDatagram");
        return VirtualThreadDatagramTransport.open(this, local, remote, protocol, options);
    }


    // ---- what the transports share

    /**
     * Start an I/O thread — on this loop's {@link LoopCarrier} in carried mode, else on the JDK's default scheduler
     * (never as a task of this loop, even when called in a carried task) — and keep track of it until it ends, so
     * {@link #close()} can wait for it.
     */
    Thread startIoThread(String name, Runnable body) {
        Thread thread;
        synchronized (threadBuilderLock) { // a builder is not thread-safe; a transport may start threads anywhere
            if (threadBuilder == null) {
                if (carrier != null) {
                    threadBuilder = threadBuilderOn(carrier);
                    StallWatch.watch(carrier);
                } else {
                    threadBuilder = offLoopThreadBuilder();
                }
            }
            thread = threadBuilder.name(name).unstarted(() -> {
                try {
                    body.run();
                } finally {
                    ioThreads.remove(Thread.currentThread());
                }
            });
        }
        ioThreads.add(thread);
        thread.start();
        return thread;
    }

    /**
     * From an I/O thread: run the action on the loop. False if the loop is closed; the caller then ends, and the loop's
     * close has released (or is releasing) its socket.
     */
    boolean post(Runnable action) {
        try {
            execute(() -> {
                counters().ioEvent(); // counted on the loop, its only writer; the I/O threads are many
                action.run();
            });
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /** Something to let go of when the loop closes. */
    interface Resource {
        /** Close the socket and stop its threads without calling back: the loop is closing. Thread-safe, idempotent. */
        void release();
    }

    void register(Resource resource) {
        resources.add(resource);
    }

    void forget(Resource resource) {
        resources.remove(resource);
    }

    /** Mark the buffer a dataReceived in progress sees (null after it): a write of it must be copied. Loop only. */
    void delivering(ByteBuffer buffer) {
        delivering = buffer;
    }

    /** Mark the stream chunk a dataReceived in progress sees (null after it): a write of it may hold it. Loop only. */
    void deliveringChunk(ChunkBuffer chunk) {
        deliveringChunk = chunk;
        delivering = chunk == null ? null : chunk.memory();
    }

    /** The stream chunk being delivered, if {@code data} views it and is worth holding it for; else null. Loop only. */
    ChunkBuffer holdableDelivery(ByteBuffer data) {
        ChunkBuffer chunk = deliveringChunk;
        return chunk != null && chunk.contains(data) && chunk.worthHolding(data) ? chunk : null;
    }

    /**
     * The read buffer a transport of this loop may hold instead of copying {@code data} to write it later: the chunk
     * being delivered ({@link #holdableDelivery}), or the buffer of the lease whose view {@code data} is, if
     * {@code data} is worth holding it for. Null otherwise: then {@link #mustCopyToHold} says whether to copy. Loop only.
     */
    ChunkBuffer holdable(ByteBuffer data) {
        ChunkBuffer delivered = holdableDelivery(data);
        if (delivered != null) {
            return delivered;
        }
        // no identity hash for the buffers a program writes of its own
        ChunkLease lease = lent.isEmpty() || !ReadLease.mayBeLent(data) ? null : lent.get(data);
        return lease != null && lease.chunk().worthHolding(data) ? lease.chunk() : null;
    }

    /** A new read buffer for the reader, counted. Loop only. */
    ChunkBuffer newReadBuffer(VirtualThreadReader reader, int capacity) {
        readBuffersMade++;
        return new ChunkBuffer(reader, capacity);
    }

    /** How many read buffers the loop's streams have made so far: for tests (spares are reused, not made). Loop only. */
    long readBuffersMade() {
        return readBuffersMade;
    }

    /** Streams' read buffers back from their holds, for any reader of the loop. Loop only. */
    SpareReadBuffers spareReadBuffers() {
        return spareReadBuffers;
    }

    /** A stream's read buffer became held (+1) or free again (-1). Loop only. */
    void countHeldReadBuffer(int change) {
        heldReadBuffers += change;
    }

    /** How many streams' read buffers a lease or a queued write holds now: for tests. Loop only. */
    int heldReadBuffers() {
        return heldReadBuffers;
    }

    /** A lending reader keeps a lease now. Loop only. */
    void lent(ChunkLease lease) {
        lent.put(lease.data(), lease);
    }

    /** A lease was released. Loop only. */
    void returned(ChunkLease lease) {
        lent.remove(lease.data());
    }

    @Override
    public int keptBuffers() {
        return lent.size();
    }

    /**
     * Whether a transport that holds the buffer past its write or send call (here every write and send waits for an I/O
     * thread) must hold a copy: it may be a view a lending reader lent, which goes back at that reader's next read
     * ({@link ReadLease#mayBeLent}), or it shares memory with the read buffer being delivered — the buffer itself, or a
     * slice or duplicate of it (the echo idiom) — which its reader overwrites once the callback returns.
     */
    boolean mustCopyToHold(ByteBuffer buffer) {
        return ReadLease.mayBeLent(buffer) || isReadBuffer(buffer);
    }

    private boolean isReadBuffer(ByteBuffer buffer) {
        ByteBuffer current = delivering;
        return current != null && (buffer == current || ChunkBuffer.sharesMemory(buffer, current));
    }

    /** The I/O threads alive now, for tests that nothing outlives the loop. */
    List<Thread> ioThreads() {
        return List.copyOf(ioThreads);
    }

    // ---- the "multiplexer": a place to sleep

    /**
     * Park until woken or the timeout passes. {@code woken} is consumed only after the wait, so a wake-up that came
     * before the park is never lost: the flag is read after {@code pollingThread} is published, and {@link #wakeup}
     * sets the flag before reading {@code pollingThread}.
     */
    @Override
    protected void poll(long timeoutNanos) {
        if (timeoutNanos == 0) {
            if (carrier != null) { // a busy loop looks at I/O every 20 us: the sub-pollers it carries look again here
                carrier.runYieldedBeforeLastLook();
            }
            return;
        }
        pollingThread = Thread.currentThread();
        long deadline = System.nanoTime() + timeoutNanos;
        while (!woken) {
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
        pollingThread = null;
        woken = false;
    }

    /** The I/O threads that yielded (the JDK's sub-pollers, see {@link LoopCarrier}) run when the loop is idle. */
    @Override
    protected boolean runWhenIdle() {
        return carrier != null && carrier.runYielded();
    }

    @Override
    protected void wakeup() {
        woken = true;
        Thread sleeper = pollingThread;
        if (sleeper != null) {
            LockSupport.unpark(sleeper);
        }
    }

    /** A stream transport closed gracefully whose writer has not reported all its writes done yet. */
    @Override
    protected boolean writesStillFlushing() {
        for (Resource resource : resources) {
            if (resource instanceof VirtualThreadStreamTransport stream && stream.flushingBeforeClose()) {
                return true;
            }
        }
        return false;
    }

    /** Let go of every socket still open (their protocols are not called: the loop is closing), then of the threads. */
    @Override
    protected void closeBackend() {
        if (carrier != null) {
            carrier.close(); // this thread waits for the I/O threads below: a stand-in carries them to their end
        }
        for (Resource resource : List.copyOf(resources)) {
            try {
                resource.release();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "weft: releasing " + resource + " failed", e);
            }
        }
        resources.clear();
        List.copyOf(lent.values()).forEach(ChunkLease::release); // their readers are gone without being told
        spareReadBuffers.close();
        long deadline = System.nanoTime() + THREAD_JOIN_NANOS;
        for (Thread thread : List.copyOf(ioThreads)) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.join(java.time.Duration.ofNanos(left))) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (carrier != null) {
            StallWatch.forget(carrier);
        }
        if (!ioThreads.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "weft: I/O threads of the closed " + VirtualThreadLoopProvider.NAME
                    + " loop still running after 2 s: " + ioThreads);
        }
    }
}
