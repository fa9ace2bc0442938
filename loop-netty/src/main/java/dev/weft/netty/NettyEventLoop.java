package dev.weft.netty;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ManualIoEventLoop;

import java.lang.reflect.Field;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A Weft loop whose multiplexer is one Netty 4.2 I/O handler (epoll, io_uring): a {@link ManualIoEventLoop} that this
 * loop drives from its own thread. Each iteration of the shared core calls {@link #poll}, which runs Netty's ready I/O
 * and its queued tasks, waiting at most until the next Weft timer. Netty's channels then call their handlers — the
 * Weft transports — on this thread, so a protocol sees exactly what it sees on nio.
 *
 * <p><b>Whose thread.</b> A ManualIoEventLoop belongs to one thread, fixed when it is made; a Weft loop belongs to
 * whichever thread runs it now (the test thread, a group's thread, the one closing it), except that an io_uring loop
 * belongs to the first ({@link NettyBackend#pinnedToFirstThread}). Before Netty runs, the loop hands Netty's loop to
 * the calling thread ({@link #bindToCurrentThread}). Netty offers no method for that after the first, so the bridge
 * sets the field; it is the one reflective step of the bridge.
 *
 * <p><b>Tasks.</b> Inside a task the current thread is the task's virtual thread, not the loop's, so Netty would queue
 * what a task does to a channel; {@link ChannelOps} keeps those operations in order with the callbacks' own.
 */
public class NettyEventLoop extends AbstractEventLoop implements NetworkLoop {
    private static final Field OWNING_THREAD = owningThreadField();
    private static final Runnable NOTHING = () -> {
    };

    private final NettyBackend backend;
    private final ManualIoEventLoop netty;
    private Thread firstRunner; // the first thread that drove Netty's loop, for backends pinned to it
    private boolean releasing; // the loop is closing: channels go without calling their protocols back
    private final Set<NettyServer> servers = new HashSet<>(); // listening now
    private final Set<Channel> channels = new HashSet<>(); // the transports' and servers' channels not yet closed
    private ByteBuf shown; // what a protocol callback is being shown, and its view
    private ByteBuffer shownView;
    private static final int KEPT_PER_BYTE = 4; // the most memory a kept delivery pins per byte of it (see keep)
    private final NettyLeases leases = new NettyLeases(); // kept by readers, not released

    public NettyEventLoop(NettyBackend backend) {
        this(backend, TaskMode.bestAvailable());
    }

    public NettyEventLoop(NettyBackend backend, TaskMode taskMode) {
        super(backend.name(), taskMode);
        this.backend = backend;
        this.netty = new ManualIoEventLoop(null, Thread.currentThread(), backend.ioHandlerFactory());
    }

    NettyBackend backend() {
        return backend;
    }

    /** The Netty loop the channels of this loop are registered with. */
    ManualIoEventLoop netty() {
        return netty;
    }

    /**
     * Show a buffer Netty read to a protocol callback, as a view: valid until {@link #unshow()}, when the buffer goes
     * back to Netty's pool. Loop thread only; one at a time.
     */
    ByteBuffer show(ByteBuf data) {
        shown = data;
        shownView = data.nioBuffer();
        return shownView;
    }

    void unshow() {
        shown = null;
        shownView = null;
    }

    /**
     * The bytes a transport of this loop was given to write, as Netty takes them: the view being shown to a callback
     * (an echo, a proxy) or one a reader of this loop lent (or a part of it) keeps the memory it views alive, uncopied;
     * a view lent by another loop's reader, which goes back at that reader's next read, is copied; any other buffer is
     * wrapped.
     */
    ByteBuf toWrite(ByteBuffer data) {
        if (data == shownView) {
            return retainedPart(shown, shown.readerIndex() + data.position(), data.remaining());
        }
        if (!ReadLease.mayBeLent(data)) { // lent views are read-only and direct
            return Unpooled.wrappedBuffer(data);
        }
        NettyLease lease = leases.find(data);
        return lease != null ? lease.toWrite(data) : Unpooled.copiedBuffer(data.duplicate());
    }

    /**
     * The {@code length} bytes of {@code buffer} from {@code index}, holding a reference of their own for Netty to
     * release once it wrote them. Not {@code retainedSlice}: Netty's pooled slices come from its {@code Recycler},
     * which on the threads Weft writes from (the loop's, a task's virtual thread) costs about twice a plain slice.
     */
    static ByteBuf retainedPart(ByteBuf buffer, int index, int length) {
        return buffer.retain().slice(index, length);
    }

    /**
     * Keep the buffer being shown, as a lending reader asks ({@code StreamTransport.keep}); any other buffer is copied,
     * as by default, and so is a delivery much smaller than the buffer it came in: the reader's backpressure counts
     * bytes, and a peer trickling tiny segments would otherwise make it pin a whole read buffer (2 KiB at least) for
     * each byte it counts. Kept, a delivery pins at most {@value #KEPT_PER_BYTE} times its size.
     */
    ReadLease keep(ByteBuffer delivered) {
        if (delivered != shownView || (long) delivered.remaining() * KEPT_PER_BYTE < shown.capacity()
                || !delivered.isDirect()) { // a lease is found by its address (see NettyLeases)
            return null;
        }
        // The delivered view already shows the buffer's readable bytes from its index 0: a read-only copy of it views
        // the same memory, and the lease holds a reference to the buffer itself, not to a slice of it.
        return new NettyLease(this, shown.retain(), shown.readerIndex(), delivered.asReadOnlyBuffer());
    }

    /** A reader keeps a lease now. Loop only. */
    void lent(NettyLease lease) {
        leases.add(lease);
    }

    /** A lease was released. Loop only. */
    void returned(NettyLease lease) {
        leases.remove(lease);
    }

    @Override
    public int keptBuffers() {
        return leases.size();
    }

    /** A transport's or server's channel, to close while the ring runs as usual if the loop closes first. Loop only. */
    void remember(Channel channel) {
        if (channels.add(channel)) {
            channel.closeFuture().addListener(closed -> channels.remove(channel));
        }
    }

    /** A server of this loop is listening. Loop thread only. */
    void remember(NettyServer server) {
        servers.add(server);
    }

    /** A server of this loop closed. Loop thread only. */
    void forget(NettyServer server) {
        servers.remove(server);
    }

    /** Whether the loop is closing: handlers let their channels go without calling back. */
    boolean releasing() {
        return releasing;
    }

    // ---- networking

    @Override
    public Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options) {
        checkNetworkConfined("connect");
        return NettyConnect.start(this, address, protocol, options);
    }

    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options) {
        checkNetworkConfined("listen");
        return NettyServer.listen(this, address, protocols, options, null);
    }

    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        checkNetworkConfined("listen");
        return NettyServer.listen(this, address, protocols, options, java.util.Objects.requireNonNull(placement));
    }

    @Override
    public Future<DatagramTransport> openDatagram(SocketAddress local, SocketAddress remote, DatagramProtocol protocol,
                                                  DatagramOptions options) {
        checkNetworkConfined("openDatagram");
        return NettyDatagramTransport.open(this, local, remote, protocol, options);
    }


    // ---- the multiplexer

    @Override
    protected void poll(long timeoutNanos) {
        bindToCurrentThread();
        // Netty's run(wait): -1 does not wait, 0 waits until woken, n waits at most n nanoseconds.
        netty.run(timeoutNanos == 0 ? -1 : timeoutNanos < 0 ? 0 : timeoutNanos);
    }

    /**
     * Wake the loop through Netty's own task queue, not just its handler: a handler's wake-up is lost if it comes
     * while Netty is awake but about to wait (Netty then checks its queue, not Weft's). And the core calls this only
     * from threads that are not running the loop; if the caller is still Netty's owner from an earlier run (or made
     * the loop), Netty would take the wake-up as the loop's own and skip it while the running thread is binding itself
     * and about to wait, so the caller lets go of the ownership first; the running thread takes it at its poll.
     */
    @Override
    protected void wakeup() {
        owner().compareAndSet(Thread.currentThread(), null);
        try {
            netty.execute(NOTHING);
        } catch (RejectedExecutionException closing) {
            // the loop is closing: there is no wait left to stop
        }
    }

    /** Close every channel without calling back, then Netty's loop (its I/O handler closes the epoll fd or the ring). */
    @Override
    protected void closeBackend() {
        bindToCurrentThread();
        releasing = true;
        boolean anyOpen = !channels.isEmpty();
        for (NettyServer server : List.copyOf(servers)) {
            server.stopListening();
        }
        // Close the channels still open while the ring runs as usual, and let what is in flight finish: on io_uring a
        // channel closed with operations pending closes its socket when their completions come back, and one closed
        // by Netty's own shutdown, or a ring shut down before that, left its socket open for good.
        List.copyOf(channels).forEach(Channel::close);
        while (netty.runNow() > 0) {
            // what is ready now: completions and tasks
        }
        for (int pass = 0, idle = 0; anyOpen && pass < 100 && idle < 2; pass++) { // at most about 100 ms
            idle = netty.runNow(TimeUnit.MILLISECONDS.toNanos(1)) > 0 || !channels.isEmpty() ? 0 : idle + 1;
        }
        // Netty closes an io_uring socket once its pending requests have completed, and a listening socket shut down
        // just before its loop, about once in a hundred, was still open after this wait (and after one of 2 s, tried):
        // its fd leaked and its socket file stayed, so the path could not be bound again. Close what is left at once,
        // and delete a server's file here: Netty would only once the close completed.
        for (Channel stillOpen : List.copyOf(channels)) {
            stillOpen.unsafe().closeForcibly();
            if (stillOpen.pipeline().get(NettyServer.class) instanceof NettyServer server) {
                server.deleteSocketFile();
            }
        }
        leases.releaseAll(); // the readers are gone without being told
        netty.shutdownGracefully(0, 0, TimeUnit.NANOSECONDS);
        while (!netty.isTerminated()) {
            netty.runNow();
        }
    }

    /**
     * Refused on another thread before anything is closed: a loop pinned to its first thread stays open for that
     * thread to close (the shared core marks a loop closed before its backend closes).
     */
    @Override
    public void close() {
        if (!isClosed()) {
            refuseIfPinnedElsewhere(Thread.currentThread());
        }
        super.close();
    }

    private void bindToCurrentThread() {
        Thread current = Thread.currentThread();
        refuseIfPinnedElsewhere(current);
        if (firstRunner == null) {
            firstRunner = current;
        }
        if (!netty.inEventLoop(current)) {
            owner().set(current);
        }
    }

    private void refuseIfPinnedElsewhere(Thread current) {
        if (firstRunner != null && firstRunner != current && backend.pinnedToFirstThread()) {
            throw new InvalidStateException("this " + backendName() + " loop is pinned to thread '"
                    + firstRunner.getName() + "', which first ran it; run and close it on that thread (Loops.run and "
                    + "loop groups do), or use a backend whose loops may move between threads (epoll; "
                    + "-Dweft.loop=epoll where the policy picks the loop)");
        }
    }

    @SuppressWarnings("unchecked")
    private AtomicReference<Thread> owner() {
        try {
            return (AtomicReference<Thread>) OWNING_THREAD.get(netty);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot hand Netty's event loop to the thread running the Weft loop", e);
        }
    }

    private static Field owningThreadField() {
        try {
            Field field = ManualIoEventLoop.class.getDeclaredField("owningThread");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "this Netty has no ManualIoEventLoop.owningThread; Weft's bridge needs Netty 4.2.18.Final", e));
        }
    }
}
