package dev.weft.vthreads;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.UnhandledError;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A listening socket on a {@link VirtualThreadEventLoop}: an acceptor virtual thread blocks in {@code accept} and
 * posts each connection to the loop, which gives it the server's options and a protocol from the factory — or, with a
 * placement, hands it to the loop the placement names, where the protocol is made and runs. When the process runs out
 * of file descriptors the acceptor tells the loop's exception handler and waits a second, as asyncio does, instead of
 * spinning on a queue it cannot empty.
 *
 * <p>Closing closes the socket, which ends the blocking accept; the JDK closes the file descriptor as the acceptor
 * leaves {@code accept}, and {@link #closed()} completes after that, when connecting to the address is refused. A Unix
 * socket's file is deleted at once, so a new server can bind the path.
 */
final class VirtualThreadServer implements Server, VirtualThreadEventLoop.Resource {
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private final VirtualThreadEventLoop loop;
    private final ServerSocketChannel channel;
    private final Supplier<? extends StreamProtocol> protocols;
    private final SocketOptions options;
    private final SocketAddress address;
    private final boolean tcp;
    private final Supplier<? extends NetworkLoop> placement; // null: connections stay on this loop
    private final Set<VirtualThreadStreamTransport> clients = ConcurrentHashMap.newKeySet(); // on any loop
    private final Future<Void> closed;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean serving = true;
    private Thread acceptor;

    private VirtualThreadServer(VirtualThreadEventLoop loop, ServerSocketChannel channel,
                                Supplier<? extends StreamProtocol> protocols, SocketOptions options,
                                SocketAddress address, Supplier<? extends NetworkLoop> placement) {
        this.loop = loop;
        this.channel = channel;
        this.protocols = protocols;
        this.options = options;
        this.address = address;
        this.tcp = VirtualThreadSockets.isTcp(address);
        this.placement = placement;
        this.closed = loop.createFuture();
    }

    /** Confined to the loop; see {@link NetworkLoop#listen}. */
    static Future<Server> listen(VirtualThreadEventLoop loop, SocketAddress address,
                                 Supplier<? extends StreamProtocol> protocols, SocketOptions options,
                                 Supplier<? extends NetworkLoop> placement) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        var family = VirtualThreadSockets.family(address);
        Future<Server> result = loop.createFuture();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(family);
            VirtualThreadSockets.configureServer(channel, VirtualThreadSockets.isTcp(address), options);
            channel.bind(address, options.backlog());
            VirtualThreadServer server = new VirtualThreadServer(loop, channel, protocols, options,
                    channel.getLocalAddress(), placement);
            server.start();
            result.setResult(server);
        } catch (IOException e) {
            VirtualThreadSockets.closeQuietly(channel);
            result.setException(VirtualThreadErrors.listenFailed(e, address));
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
            while (serving) {
                SocketChannel client;
                try {
                    client = channel.accept();
                } catch (IOException e) {
                    if (!serving || !channel.isOpen()) {
                        return; // closed by us
                    }
                    if (!loop.post(() -> report("accept failed (" + e.getMessage() + ")"
                            + (exhausted(e) ? "; accepting again in " + VirtualThreadErrors.describe(ACCEPT_RETRY_DELAY)
                            + " (raise the limit with ulimit -n)" : "; trying again"), e))) {
                        return;
                    }
                    if (exhausted(e)) {
                        pause();
                    }
                    continue;
                }
                if (!loop.post(() -> adopt(client))) {
                    VirtualThreadSockets.closeQuietly(client);
                    return;
                }
            }
        } finally {
            loop.post(() -> {
                if (!closed.isDone()) {
                    closed.setResult(null);
                }
            });
        }
    }

    private static boolean exhausted(IOException error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("too many open files") || message.contains("no buffer space")
                || message.contains("cannot allocate memory");
    }

    /** Wait before accepting again; closing the server interrupts the wait. */
    private static void pause() {
        try {
            Thread.sleep(ACCEPT_RETRY_DELAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the accept that follows sees the interrupt and the closed socket
        }
    }

    // ---- adopting, on the loops

    /** On the server's loop: configure the connection and start it here or on the loop the placement names. */
    private void adopt(SocketChannel client) {
        if (!serving) {
            VirtualThreadSockets.closeQuietly(client); // accepted just before close: as if never accepted
            return;
        }
        try {
            VirtualThreadSockets.configureConnection(client, tcp, options);
        } catch (IOException e) {
            VirtualThreadSockets.closeQuietly(client); // the peer left before we took it: there is no one to tell
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
            VirtualThreadSockets.closeQuietly(client);
            report("the placement failed; the connection is closed", t);
            return;
        }
        if (target == loop) {
            start(loop, client);
        } else if (!target.post(() -> start(target, client))) {
            VirtualThreadSockets.closeQuietly(client);
            report("the placement chose a closed loop; the connection is closed",
                    new IllegalStateException(target + " is closed"));
        }
    }

    /** On the connection's own loop: make its protocol and start it. */
    private void start(VirtualThreadEventLoop on, SocketChannel client) {
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
        release();
    }

    /** Close every accepted connection on its own loop; those on this loop at once, as nio does. */
    @Override
    public void closeClients() {
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

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        serving = false;
        VirtualThreadSockets.closeQuietly(channel);
        if (acceptor != null) {
            acceptor.interrupt(); // ends a retry pause; a blocked accept already ended with the close
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
        return List.of(address);
    }

    /** The listening socket, for tests of the options applied to it. */
    ServerSocketChannel channel() {
        return channel;
    }

    private void report(String what, Throwable error) {
        report(loop, what, error);
    }

    private void report(VirtualThreadEventLoop on, String what, Throwable error) {
        on.callExceptionHandler(new UnhandledError("server on " + VirtualThreadErrors.describe(address) + ": " + what,
                error));
    }

    @Override
    public String toString() {
        return "VirtualThreadServer[" + VirtualThreadErrors.describe(address) + (serving ? ", serving" : ", closed")
                + ", clients=" + clients.size() + "]";
    }
}
