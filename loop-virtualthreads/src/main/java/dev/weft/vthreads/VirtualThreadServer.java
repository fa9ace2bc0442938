package dev.weft.vthreads;

import dev.weft.net.Addresses;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;
import dev.weft.net.AcceptBackoff;
import dev.weft.net.JdkSockets;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketErrors;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A listening socket on a {@link VirtualThreadEventLoop}: an acceptor virtual thread blocks in {@code accept} and
 * posts each connection to the loop, which gives it the server's options and a protocol from the factory — or, with a
 * placement, hands it to the loop the placement names, where the protocol is made and runs. When the process runs out
 * of file descriptors the acceptor waits a second, as asyncio does, instead of spinning on a queue it cannot empty,
 * and logs a warning ({@link AcceptBackoff}).
 *
 * <p><b>Closing</b> stops accepting, but serves the connections whose handshake the kernel completed before it: on nio
 * a client's connect and the server's accept are seen in one selection, so a connect that completed is an accepted
 * connection; here the acceptor may not have taken it from the kernel's queue yet. So {@link #close()} connects a
 * "pill" to its own address and lets the acceptor drain the queue up to the pill, then close the socket (after a
 * second at most). Where the pill could reach another socket (SO_REUSEPORT) or cannot be told apart (Unix sockets,
 * whose clients have no address), the socket closes at once. The JDK closes the file descriptor as the acceptor leaves
 * {@code accept}, and {@link #closed()} completes after that, when connecting to the address is refused. A Unix
 * socket's file is deleted, so a new server can bind the path.
 */
final class VirtualThreadServer implements Server, VirtualThreadEventLoop.Resource {
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(1);

    private final VirtualThreadEventLoop loop;
    private final ServerSocketChannel channel;
    private final Supplier<? extends StreamProtocol> protocols;
    private final SocketOptions options;
    private final SocketAddress address;
    private final boolean tcp;
    private final Supplier<? extends NetworkLoop> placement; // null: connections stay on this loop
    private final Set<VirtualThreadStreamTransport> clients = ConcurrentHashMap.newKeySet(); // on any loop
    private final Future<Void> closed;
    private final AcceptBackoff backoff = new AcceptBackoff("dev.weft.vthreads");
    private final AtomicBoolean released = new AtomicBoolean();
    /** Accepted and posted to a loop, not yet started there: {@link #release()} closes them if this loop closed. */
    private final Set<SocketChannel> handingOver = ConcurrentHashMap.newKeySet();
    private volatile boolean serving = true;
    private volatile boolean clientsClosed; // closeClients was called: what is still handed over is closed
    private volatile SocketAddress pill; // the local address of the connection that ends the drain
    private SocketChannel pillChannel; // loop only
    private TimerHandle drainLimit; // loop only
    private Thread acceptor;

    private VirtualThreadServer(VirtualThreadEventLoop loop, ServerSocketChannel channel,
                                Supplier<? extends StreamProtocol> protocols, SocketOptions options,
                                SocketAddress address, Supplier<? extends NetworkLoop> placement) {
        this.loop = loop;
        this.channel = channel;
        this.protocols = protocols;
        this.options = options;
        this.address = address;
        this.tcp = JdkSockets.isTcp(address);
        this.placement = placement;
        this.closed = loop.createFuture();
    }

    /** Confined to the loop; see {@link NetworkLoop#listen}. */
    static Future<Server> listen(VirtualThreadEventLoop loop, SocketAddress address,
                                 Supplier<? extends StreamProtocol> protocols, SocketOptions options,
                                 Supplier<? extends NetworkLoop> placement) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        var family = JdkSockets.family(address, VirtualThreadLoopProvider.NAME);
        Future<Server> result = loop.createFuture();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(family);
            JdkSockets.configureServer(channel, JdkSockets.isTcp(address), options);
            channel.bind(address, options.backlog());
            VirtualThreadServer server = new VirtualThreadServer(loop, channel, protocols, options,
                    channel.getLocalAddress(), placement);
            server.start();
            result.setResult(server);
        } catch (IOException e) {
            VirtualThreadSockets.closeQuietly(channel);
            result.setException(SocketErrors.listenFailed(e, address));
        } catch (RuntimeException e) { // SO_REUSEPORT unsupported: a programming error, thrown
            VirtualThreadSockets.closeQuietly(channel);
            throw e;
        }
        return result;
    }

    private void start() {
        loop.register(this);
        acceptor = loop.startIoThread("weft-vthreads-accept-" + VirtualThreadSockets.label(address), this::acceptLoop);
    }

    // ---- the acceptor thread

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client;
                try {
                    client = channel.accept();
                } catch (IOException e) {
                    if (!serving || !channel.isOpen()) {
                        return; // closed by us
                    }
                    if (AcceptBackoff.isExhaustion(e)) { // logged from here: the loop has nothing to do with it
                        backoff.backingOff(address, e);
                        pause();
                    } else {
                        backoff.failedOnce(address, e);
                    }
                    continue;
                }
                if (isPill(client)) { // everything queued before close() is handed over: stop here
                    VirtualThreadSockets.closeQuietly(client);
                    VirtualThreadSockets.closeQuietly(channel);
                    return;
                }
                handingOver.add(client);
                if (!loop.post(() -> adopt(client))) {
                    drop(client);
                    return;
                }
            }
        } finally {
            loop.post(this::acceptorEnded);
        }
    }

    private boolean isPill(SocketChannel client) {
        SocketAddress expected = pill;
        return expected != null && expected.equals(VirtualThreadSockets.addressOf(client, false));
    }

    /** On the loop: the socket is closed, so connecting is refused from now on. */
    private void acceptorEnded() {
        release();
        if (!closed.isDone()) {
            closed.setResult(null);
        }
    }

    /**
     * Wait before accepting again; {@link #release()} cuts the wait short with an unpark. Not an interrupt: one that
     * lands while the acceptor is in {@code accept} closes the listening socket and throws ClosedByInterruptException
     * even when the accept had just taken a connection, whose descriptor the JDK then never closes (it leaked the
     * server side of the drain's pill when a loop closed).
     */
    private void pause() {
        long end = System.nanoTime() + AcceptBackoff.RETRY_DELAY.toNanos();
        long left;
        while (serving && (left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }

    // ---- adopting, on the loops

    /** On the server's loop: configure the connection and start it here or on the loop the placement names. */
    private void adopt(SocketChannel client) {
        try {
            JdkSockets.configureConnection(client, tcp, options);
        } catch (IOException e) {
            drop(client); // the peer left before we took it: there is no one to tell
            return;
        }
        if (placement == null) {
            start(loop, client);
            return;
        }
        VirtualThreadEventLoop target;
        try {
            NetworkLoop chosen = Objects.requireNonNull(placement.get(), "the placement returned null");
            if (!(chosen instanceof VirtualThreadEventLoop same)) {
                throw new IllegalArgumentException("the placement returned a " + chosen.backendName()
                        + " loop; a " + VirtualThreadLoopProvider.NAME + " server hands connections only to "
                        + VirtualThreadLoopProvider.NAME + " loops");
            }
            target = same;
        } catch (Throwable t) {
            drop(client);
            report("the placement failed; the connection is closed", t);
            return;
        }
        if (target == loop) {
            start(loop, client);
        } else if (!target.post(() -> start(target, client))) {
            drop(client);
            report("the placement chose a closed loop; the connection is closed",
                    new IllegalStateException(target + " is closed"));
        }
    }

    /** An accepted connection that will not be started: close it. */
    private void drop(SocketChannel client) {
        handingOver.remove(client);
        VirtualThreadSockets.closeQuietly(client);
    }

    /** On the connection's own loop: make its protocol and start it. */
    private void start(VirtualThreadEventLoop on, SocketChannel client) {
        handingOver.remove(client);
        if (clientsClosed) {
            VirtualThreadSockets.closeQuietly(client); // on its way when closeClients() closed the others
            return;
        }
        StreamProtocol protocol;
        try {
            protocol = Objects.requireNonNull(protocols.get(), "the protocol factory returned null");
        } catch (Throwable t) {
            VirtualThreadSockets.closeQuietly(client);
            report(on, "the protocol factory threw; the connection is closed", t);
            return;
        }
        VirtualThreadStreamTransport transport = new VirtualThreadStreamTransport(on, client, protocol, this);
        clients.add(transport);
        Throwable failed = transport.begin();
        if (failed != null) {
            report(on, "connectionMade() threw; the connection is aborted", failed);
        }
    }

    /** A connection it accepted is gone. On that connection's loop. */
    void forget(VirtualThreadStreamTransport client) {
        clients.remove(client);
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (!serving) {
            return;
        }
        serving = false;
        if (!startDrain()) {
            release();
        }
    }

    /**
     * Connect the pill to this server's own address, so the acceptor takes what the kernel queued before it and then
     * closes the socket; a timer closes it anyway after a second. False where a pill cannot work.
     */
    private boolean startDrain() {
        if (!(address instanceof InetSocketAddress bound) || options.reusePort() || released.get()) {
            return false;
        }
        InetAddress target = bound.getAddress();
        if (target.isAnyLocalAddress()) {
            target = target instanceof Inet6Address ? InetAddress.getLoopbackAddress() : localhostV4();
        }
        SocketChannel probe = null;
        try {
            probe = SocketChannel.open(JdkSockets.family(new InetSocketAddress(target, 0), VirtualThreadLoopProvider.NAME));
            probe.configureBlocking(false);
            probe.bind(new InetSocketAddress(target, 0));
            pill = probe.getLocalAddress();
            probe.connect(new InetSocketAddress(target, bound.getPort()));
        } catch (IOException | RuntimeException e) {
            VirtualThreadSockets.closeQuietly(probe);
            pill = null;
            return false;
        }
        pillChannel = probe;
        drainLimit = loop.callLater(DRAIN_LIMIT, this::release);
        return true;
    }

    private static InetAddress localhostV4() {
        try {
            return InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Close every accepted connection on its own loop; those on this loop at once, as nio does. */
    @Override
    public void closeClients() {
        clientsClosed = true;
        close();
        for (VirtualThreadStreamTransport client : List.copyOf(clients)) {
            EventLoop on = client.loop();
            if (on == loop) {
                client.close();
            } else {
                ((VirtualThreadEventLoop) on).post(client::close);
            }
        }
    }

    /** Close the socket now (ending the acceptor's accept), and the pill. Idempotent. */
    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        serving = false;
        VirtualThreadSockets.closeQuietly(channel);
        VirtualThreadSockets.closeQuietly(pillChannel);
        if (loop.isClosed()) { // posted to this loop, which closed before it took them; else they are still served
            handingOver.forEach(VirtualThreadSockets::closeQuietly);
        }
        if (drainLimit != null) {
            drainLimit.cancel();
        }
        if (acceptor != null) {
            LockSupport.unpark(acceptor); // ends a retry pause; a blocked accept already ended with the close
        }
        loop.forget(this);
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                report("cannot delete the socket file; the next server on this path will not bind", e);
            }
        }
    }

    @Override
    public Future<Void> closed() {
        return closed;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public List<SocketAddress> addresses() {
        return List.of(Addresses.printable(address));
    }

    /** The listening socket, for tests of the options applied to it. */
    ServerSocketChannel channel() {
        return channel;
    }

    private void report(String what, Throwable error) {
        report(loop, what, error);
    }

    private void report(VirtualThreadEventLoop on, String what, Throwable error) {
        on.callExceptionHandler(new UnhandledError("server on " + Addresses.format(address) + ": " + what,
                error));
    }

    @Override
    public String toString() {
        return "VirtualThreadServer[" + Addresses.format(address) + (serving ? ", serving" : ", closed")
                + ", clients=" + clients.size() + "]";
    }
}
