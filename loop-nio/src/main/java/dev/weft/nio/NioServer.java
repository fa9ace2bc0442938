package dev.weft.nio;

import dev.weft.net.Addresses;
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
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A listening socket on a {@link NioEventLoop}. On {@code OP_ACCEPT} it accepts until the kernel's queue is empty;
 * each connection gets the server's connection options and a new protocol from the factory. When the process runs
 * out of file descriptors (or kernel memory) it stops accepting for a second, as asyncio does, instead of spinning on
 * a queue it cannot empty, and logs a warning ({@link AcceptBackoff}).
 *
 * <p>Closing cancels the key and closes the socket; the JDK closes the file descriptor at the next selection, and
 * {@link #closed()} completes after it, when connecting to the address is refused. A Unix socket's file is deleted at
 * once, so a new server can bind the path.
 *
 * <p>With a placement (the acceptor of a loop group) each accepted socket is configured here, then handed to the
 * chosen nio loop ({@link NioEventLoop#adopt}), which registers it with its own selector and makes the protocol: from
 * then on it is an ordinary transport of that loop. The server keeps its connections by loop, each set used on its
 * own loop only, so {@link #closeClients()} closes each on its loop.
 */
final class NioServer implements Server, NioEventLoop.Handler {
    private final NioEventLoop loop;
    private final ServerSocketChannel channel;
    private final SelectionKey key;
    private final Supplier<? extends StreamProtocol> protocols;
    private final SocketOptions options;
    private final SocketAddress address;
    private final boolean tcp;
    private final Supplier<? extends NetworkLoop> placement; // null: serve every connection here
    /** The open connections it accepted, by the loop that serves them; each set is used on its own loop only. */
    private final Map<NioEventLoop, Set<NioStreamTransport>> clients = new ConcurrentHashMap<>();
    private volatile boolean clientsClosed; // closeClients() was called: connections still on their way are closed
    private final Future<Void> closed;
    private final AcceptBackoff backoff = new AcceptBackoff("dev.weft.nio");
    private boolean serving = true;
    private TimerHandle acceptRetry;

    private NioServer(NioEventLoop loop, ServerSocketChannel channel, SelectionKey key,
                      Supplier<? extends StreamProtocol> protocols, SocketOptions options, SocketAddress address,
                      Supplier<? extends NetworkLoop> placement) {
        this.loop = loop;
        this.placement = placement;
        this.channel = channel;
        this.key = key;
        this.protocols = protocols;
        this.options = options;
        this.address = address;
        this.tcp = JdkSockets.isTcp(address);
        this.closed = loop.createFuture();
        key.attach(this);
    }

    /**
     * Confined to the loop; see {@link NetworkLoop#listen}.
     *
     * @param placement the loop of each connection, asked on this loop per connection; null for this loop
     */
    static Future<Server> listen(NioEventLoop loop, SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        var family = JdkSockets.family(address, NioLoopProvider.NAME);
        Future<Server> result = loop.createFuture();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(family);
            channel.configureBlocking(false);
            JdkSockets.configureServer(channel, JdkSockets.isTcp(address), options);
            channel.bind(address, options.backlog());
            SelectionKey key = channel.register(loop.selector(), SelectionKey.OP_ACCEPT);
            result.setResult(new NioServer(loop, channel, key, protocols, options, channel.getLocalAddress(),
                    placement));
        } catch (IOException e) {
            closeQuietly(channel);
            result.setException(SocketErrors.listenFailed(e, address));
        } catch (RuntimeException e) { // SO_REUSEPORT unsupported: a programming error, thrown
            closeQuietly(channel);
            throw e;
        }
        return result;
    }

    // ---- accepting

    /** OP_ACCEPT: take every connection the kernel has queued. */
    @Override
    public void accept(SelectionKey selected) {
        while (serving) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                acceptFailed(e);
                return;
            }
            if (client == null) {
                return;
            }
            adopt(client);
        }
    }

    /** Configure the accepted socket here, then serve it here or hand it to the loop the placement chooses. */
    private void adopt(SocketChannel client) {
        try {
            client.configureBlocking(false);
            JdkSockets.configureConnection(client, tcp, options);
        } catch (IOException e) {
            closeQuietly(client); // the peer left before we took it: there is no one to tell
            return;
        }
        NioEventLoop target = placement == null ? loop : place(client);
        if (target == loop) {
            serveOn(loop, client);
        } else if (target != null) {
            target.adopt(new NioEventLoop.HandOff(client, () -> serveOn(target, client)));
        }
    }

    /** The loop the placement chooses for a connection; null (the connection closed, the error reported) if none. */
    private NioEventLoop place(SocketChannel client) {
        NetworkLoop chosen;
        try {
            chosen = Objects.requireNonNull(placement.get(), "the placement returned null");
        } catch (Throwable t) {
            closeQuietly(client);
            report(loop, "the placement threw; the connection is closed", t);
            return null;
        }
        if (chosen instanceof NioEventLoop nio) {
            return nio;
        }
        closeQuietly(client);
        report(loop, "the connection is closed", new IllegalArgumentException("the placement chose a "
                + chosen.backendName() + " loop, and a " + NioLoopProvider.NAME + " server hands connections only "
                + "to " + NioLoopProvider.NAME + " loops"));
        return null;
    }

    /** Register the socket with the serving loop's selector and make its protocol there. On {@code target}. */
    private void serveOn(NioEventLoop target, SocketChannel client) {
        if (clientsClosed) {
            closeQuietly(client); // accepted before closeClients(), arrived after it
            return;
        }
        SelectionKey clientKey;
        try {
            clientKey = client.register(target.selector(), 0);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        StreamProtocol protocol;
        try {
            protocol = Objects.requireNonNull(protocols.get(), "the protocol factory returned null");
        } catch (Throwable t) {
            clientKey.cancel();
            closeQuietly(client);
            report(target, "the protocol factory threw; the connection is closed", t);
            return;
        }
        NioStreamTransport transport = new NioStreamTransport(target, client, clientKey, protocol, this);
        clients.computeIfAbsent(target, where -> new LinkedHashSet<>()).add(transport);
        Throwable failed = transport.begin();
        if (failed != null) {
            report(target, "connectionMade() threw; the connection is aborted", failed);
        }
    }

    private void acceptFailed(IOException error) {
        if (AcceptBackoff.isExhaustion(error)) {
            backoff.backingOff(address, error);
            key.interestOps(0);
            acceptRetry = loop.callLater(AcceptBackoff.RETRY_DELAY, () -> {
                if (serving) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        } else {
            backoff.failedOnce(address, error); // the next selection tries again
        }
    }

    /** A connection it accepted is gone. On the connection's loop. */
    void forget(NioStreamTransport client) {
        Set<NioStreamTransport> where = clients.get(client.loop());
        if (where != null) {
            where.remove(client);
        }
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (!serving) {
            return;
        }
        serving = false;
        if (acceptRetry != null) {
            acceptRetry.cancel();
        }
        release();
        loop.afterNextSelect(() -> closed.setResult(null));
    }

    @Override
    public void closeClients() {
        close();
        clientsClosed = true;
        clients.forEach((where, served) -> {
            if (where == loop) {
                closeAll(served);
            } else {
                try {
                    where.execute(() -> closeAll(served));
                } catch (RejectedExecutionException closed) {
                    // that loop closed, and released its sockets as it did
                }
            }
        });
    }

    private static void closeAll(Set<NioStreamTransport> served) {
        for (NioStreamTransport client : List.copyOf(served)) {
            client.close();
        }
    }

    @Override
    public void release() {
        key.cancel();
        closeQuietly(channel);
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

    private void report(NioEventLoop where, String what, Throwable error) {
        where.callExceptionHandler(new UnhandledError("server on " + Addresses.format(address) + ": " + what, error));
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a socket that fails to close was not open: nothing to release
            }
        }
    }

    @Override
    public String toString() {
        return "NioServer[" + Addresses.format(address) + (serving ? ", serving" : ", closed")
                + ", clients=" + clients.getOrDefault(loop, Set.of()).size() + "]";
    }
}
