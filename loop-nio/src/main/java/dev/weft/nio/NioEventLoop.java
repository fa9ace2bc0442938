package dev.weft.nio;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Capability;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Future;
import dev.weft.loop.TaskMode;
import dev.weft.loop.UnhandledError;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.NetworkLoop;
import dev.weft.net.ReadLease;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The pure-JDK loop: a {@link Selector} is the multiplexer. On Linux the JDK's selector is epoll underneath, with one
 * more level of indirection (the selected-key set) than Netty's native epoll; {@link Selector#wakeup()} writes to an
 * internal pipe (an eventfd on newer JDKs), so the core calls it only when the loop is, or is about to be, asleep.
 *
 * <p>A channel registered with {@link #selector()} carries a {@link Consumer} of its {@link SelectionKey} as the key's
 * attachment; the loop hands it the key each time the key is selected. The loop's own channels attach a
 * {@link Handler}, which the loop also asks to let go of its channel when the loop closes: {@link NioServer},
 * {@link NioConnect}, and the {@link NioSelection} of each {@link NioStreamTransport} and {@link NioDatagramTransport}.
 *
 * <p>The selector also decides when a channel is really closed: closing a registered channel only cancels its key,
 * and the file descriptor is closed when the next selection deregisters the key. {@link #afterNextSelect} is for
 * what must wait until then (a server's {@code closed()}).
 */
public final class NioEventLoop extends AbstractEventLoop implements NetworkLoop {
    /** How many buffers one gathering write hands the kernel at most (Linux's IOV_MAX is 1024). */
    static final int GATHER_MAX = 64;

    private final Selector selector;
    private final NioReadBuffers readBuffers = new NioReadBuffers();
    private final ByteBuffer[] gather = new ByteBuffer[GATHER_MAX];
    private List<Runnable> afterSelect = new ArrayList<>();
    private final ConcurrentLinkedQueue<HandOff> handOffs = new ConcurrentLinkedQueue<>();

    public NioEventLoop() {
        this(TaskMode.bestAvailable());
    }

    public NioEventLoop(TaskMode taskMode) {
        super(NioLoopProvider.NAME, taskMode);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    /** The selector, for transports that register channels with this loop. Loop thread only. */
    public Selector selector() {
        return selector;
    }

    // ---- networking

    @Override
    public Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options) {
        checkNetworkConfined("connect");
        return NioConnect.start(this, address, protocol, options);
    }

    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options) {
        checkNetworkConfined("listen");
        return NioServer.listen(this, address, protocols, options, null);
    }

    /**
     * Accept here and hand each connection to the nio loop the placement names: the accepted socket crosses to that
     * loop through {@link #adopt}, and is registered with its selector there.
     */
    @Override
    public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        checkNetworkConfined("listen");
        Objects.requireNonNull(placement, "placement");
        return NioServer.listen(this, address, protocols, options, placement);
    }

    @Override
    public Future<DatagramTransport> openDatagram(SocketAddress local, SocketAddress remote, DatagramProtocol protocol,
                                                  DatagramOptions options) {
        checkNetworkConfined("openDatagram");
        return NioDatagramTransport.open(this, local, remote, protocol, options);
    }

    /** What the provider declares, without a ServiceLoader lookup. */
    @Override
    public Set<Capability> capabilities() {
        return NioLoopProvider.capabilitiesHere();
    }

    // ---- connections accepted by another loop

    /**
     * Take over a connection another nio loop accepted: queue it and have this loop run its adoption. Thread-safe.
     * A socket handed to a loop that is closed, or closes before it gets to it, is closed: the queue is this loop's
     * own (not the core's submissions) so that {@link #closeBackend()} can find what it never ran.
     */
    void adopt(HandOff handOff) {
        handOffs.add(handOff);
        try {
            execute(this::adoptHandOffs);
        } catch (RejectedExecutionException | LoopClosedException closed) {
            // closed already: dropped below
        }
        if (isClosed()) {
            dropHandOffs(); // the closing thread may have drained the queue before we added to it
        }
    }

    private void adoptHandOffs() {
        HandOff handOff;
        while ((handOff = handOffs.poll()) != null) {
            handOff.adoption().run();
        }
    }

    private void dropHandOffs() {
        HandOff handOff;
        while ((handOff = handOffs.poll()) != null) {
            try {
                handOff.channel().close();
            } catch (IOException ignored) {
                // it was not open: nothing to release
            }
        }
    }

    /** An accepted socket on its way to this loop, and what registers it here (run on this loop). */
    record HandOff(SocketChannel channel, Runnable adoption) {
    }

    /** The loop's read buffer, cleared: valid until the next read on this loop. Loop thread only. */
    ByteBuffer readBuffer() {
        return readBuffers.forReading();
    }

    /**
     * Keep the delivered bytes for a lending reader without a copy, if they are in the loop's read buffer and worth it
     * (see {@link NioReadBuffers#lend}); else null. Loop thread only.
     */
    NioLease lend(ByteBuffer delivered) {
        return readBuffers.lend(delivered);
    }

    @Override
    public int keptBuffers() {
        return readBuffers.kept();
    }

    /** Scratch space for a gathering write: filled and emptied by one flush. Loop thread only. */
    ByteBuffer[] gatherBuffers() {
        return gather;
    }

    /**
     * Whether a transport that holds the buffer past its write or send call must hold a copy: it is the loop's read
     * buffer (the echo idiom: the next read overwrites it), or may be a view a lending reader lent, which goes back to
     * its pool at that reader's next read ({@link ReadLease#mayBeLent}).
     */
    boolean mustCopyToHold(ByteBuffer buffer) {
        return readBuffers.isCurrent(buffer) || ReadLease.mayBeLent(buffer);
    }

    /** Run the action as a callback once the next selection has deregistered the keys cancelled before it. */
    void afterNextSelect(Runnable action) {
        afterSelect.add(action);
    }

    // ---- the multiplexer

    @Override
    protected void poll(long timeoutNanos) {
        List<Runnable> due = afterSelect;
        if (!due.isEmpty()) {
            afterSelect = new ArrayList<>();
            timeoutNanos = 0; // they wait for a selection, not for I/O
        }
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(this::dispatch);
            } else if (timeoutNanos < 0) {
                selector.select(this::dispatch);
            } else {
                // Round up: the core must never see a deadline before it is due, and select(0) means "forever".
                selector.select(this::dispatch, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("java.nio Selector failed", e);
        }
        for (Runnable action : due) {
            execute(action);
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(SelectionKey key) {
        counters().ioEvent();
        if (key.attachment() instanceof Consumer<?> handler) {
            try {
                ((Consumer<SelectionKey>) handler).accept(key);
            } catch (RuntimeException | Error e) {
                // A handler that throws must not take the selection, and with it the loop, down.
                callExceptionHandler(new UnhandledError("exception in the I/O handler of " + key.channel(), e));
            }
        }
    }

    @Override
    protected void wakeup() {
        selector.wakeup();
    }

    /** Let go of the sockets still open (their protocols are not called: the loop is closing), then the selector. */
    @Override
    protected void closeBackend() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.isValid() && key.attachment() instanceof Handler handler) {
                    handler.release();
                }
            }
        } finally {
            readBuffers.close(); // the readers are gone without being told
            dropHandOffs();
            try {
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the java.nio Selector", e);
            }
        }
    }

    /** The attachment of this loop's own channels: handles selected keys, and lets go when the loop closes. */
    interface Handler extends Consumer<SelectionKey> {
        /** Close the channel without calling back; the loop is closing. */
        void release();
    }
}
