package dev.weft.nio;

import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A listening socket on a {@link NioEventLoop}. On {@code OP_ACCEPT} it accepts until the kernel's queue is empty;
 * each connection gets the server's connection options and a new protocol from the factory. When the process runs
 * out of file descriptors (or kernel memory) it tells the loop's exception handler and stops accepting for a second,
 * as asyncio does, instead of spinning on a queue it cannot empty.
 *
 * <p>Closing cancels the key and closes the socket; the JDK closes the file descriptor at the next selection, and
 * {@link #closed()} completes after it, when connecting to the address is refused. A Unix socket's file is deleted at
 * once, so a new server can bind the path.
 */
final class NioServer implements Server, NioEventLoop.Handler {
    private static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private final NioEventLoop loop;
    private final ServerSocketChannel channel;
    private final SelectionKey key;
    private final Supplier<? extends StreamProtocol> protocols;
    private final SocketOptions options;
    private final SocketAddress address;
    private final boolean tcp;
    private final Set<NioStreamTransport> clients = new LinkedHashSet<>();
    private final Future<Void> closed;
    private boolean serving = true;
    private TimerHandle acceptRetry;

    private NioServer(NioEventLoop loop, ServerSocketChannel channel, SelectionKey key,
                      Supplier<? extends StreamProtocol> protocols, SocketOptions options, SocketAddress address) {
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.protocols = protocols;
        this.options = options;
        this.address = address;
        this.tcp = NioSockets.isTcp(address);
        this.closed = loop.createFuture();
        key.attach(this);
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#listen}. */
    static Future<Server> listen(NioEventLoop loop, SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        var family = NioSockets.family(address);
        Future<Server> result = loop.createFuture();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open(family);
            NioSockets.configureServer(channel, NioSockets.isTcp(address), options);
            channel.bind(address, options.backlog());
            SelectionKey key = channel.register(loop.selector(), SelectionKey.OP_ACCEPT);
            result.setResult(new NioServer(loop, channel, key, protocols, options, channel.getLocalAddress()));
        } catch (IOException e) {
            closeQuietly(channel);
            result.setException(NioErrors.listenFailed(e, address));
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

    private void adopt(SocketChannel client) {
        SelectionKey clientKey;
        try {
            NioSockets.configureConnection(client, tcp, options);
            clientKey = client.register(loop.selector(), 0);
        } catch (IOException e) {
            closeQuietly(client); // the peer left before we took it: there is no one to tell
            return;
        }
        StreamProtocol protocol;
        try {
            protocol = Objects.requireNonNull(protocols.get(), "the protocol factory returned null");
        } catch (Throwable t) {
            clientKey.cancel();
            closeQuietly(client);
            report("the protocol factory threw; the connection is closed", t);
            return;
        }
        NioStreamTransport transport = new NioStreamTransport(loop, client, clientKey, protocol, this);
        clients.add(transport);
        Throwable failed = transport.begin();
        if (failed != null) {
            report("connectionMade() threw; the connection is aborted", failed);
        }
    }

    private void acceptFailed(IOException error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("too many open files") || message.contains("no buffer space")
                || message.contains("cannot allocate memory")) {
            report("accept failed (" + error.getMessage() + "); accepting again in "
                    + NioErrors.describe(ACCEPT_RETRY_DELAY) + " (raise the limit with ulimit -n)", error);
            key.interestOps(0);
            acceptRetry = loop.callLater(ACCEPT_RETRY_DELAY, () -> {
                if (serving) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        } else {
            report("accept failed; the next selection tries again", error);
        }
    }

    /** A connection it accepted is gone. */
    void forget(NioStreamTransport client) {
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
        if (acceptRetry != null) {
            acceptRetry.cancel();
        }
        release();
        loop.afterNextSelect(() -> closed.setResult(null));
    }

    @Override
    public void closeClients() {
        close();
        for (NioStreamTransport client : List.copyOf(clients)) {
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
        return List.of(address);
    }

    /** The listening socket, for tests of the options applied to it. */
    ServerSocketChannel channel() {
        return channel;
    }

    private void report(String what, Throwable error) {
        loop.callExceptionHandler(new UnhandledError("server on " + NioErrors.describe(address) + ": " + what, error));
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
        return "NioServer[" + NioErrors.describe(address) + (serving ? ", serving" : ", closed")
                + ", clients=" + clients.size() + "]";
    }
}
