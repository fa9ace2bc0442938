package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Tasks;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.GroupServer;
import dev.weft.net.GroupStreamServer;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.Spread;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The echo server in its two styles, as the echo benchmark drives it: {@code streams} (a task per connection reading
 * and writing with await) and {@code protocol} (callbacks on the loop, no task), on one loop (started inside a task
 * of the loop that serves) or on every loop of a {@link LoopGroup}.
 */
final class EchoServer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final AutoCloseable server;
    private final List<SocketAddress> addresses;
    private final Spread spread; // null on one loop
    private final AtomicInteger open; // connections being served, on every loop
    private final AtomicInteger closedByServer; // streams mode: handlers that stop() ended

    private EchoServer(AutoCloseable server, List<SocketAddress> addresses, Spread spread, AtomicInteger open,
                       AtomicInteger closedByServer) {
        this.server = server;
        this.addresses = addresses;
        this.spread = spread;
        this.open = open;
        this.closedByServer = closedByServer;
    }

    /** Start serving in the given mode. @throws IllegalArgumentException for an unknown mode */
    static EchoServer start(String mode, String host, int port) throws IOException {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger closedByServer = new AtomicInteger();
        return switch (mode) {
            case "streams" -> {
                StreamServer server = Streams.startServer(counted(open, closedByServer), host, port);
                yield new EchoServer(server, server.addresses(), null, open, closedByServer);
            }
            case "protocol" -> {
                EventLoop loop = Async.loop();
                if (!(loop instanceof NetworkLoop network)) {
                    throw new UnsupportedOperationException("the " + loop.backendName() + " loop has no networking");
                }
                Server server = network.listen(new InetSocketAddress(host, port), () -> new EchoProtocol(open),
                        SocketOptions.DEFAULTS).await();
                yield new EchoServer(server, server.addresses(), null, open, closedByServer);
            }
            default -> throw new IllegalArgumentException("mode is streams or protocol, not '" + mode + "'");
        };
    }

    /**
     * Serve on every loop of the group, the connections spread as {@link Spread#AUTO} decides: by the kernel with
     * SO_REUSEPORT where the backend has it, else by loop 0 round-robin. From a thread that runs no loop, or a task.
     */
    static EchoServer start(String mode, LoopGroup group, String host, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger closedByServer = new AtomicInteger();
        return switch (mode) {
            case "streams" -> {
                GroupStreamServer server = GroupStreamServer.start(group, counted(open, closedByServer), address);
                yield new EchoServer(server, server.addresses(), server.spread(), open, closedByServer);
            }
            case "protocol" -> {
                GroupServer server = GroupServer.listen(group, address, () -> new EchoProtocol(open),
                        SocketOptions.DEFAULTS);
                yield new EchoServer(server, server.addresses(), server.spread(), open, closedByServer);
            }
            default -> throw new IllegalArgumentException("mode is streams or protocol, not '" + mode + "'");
        };
    }

    /**
     * The streams-mode handler, counting the connections it serves and those the server's closing ended: in this
     * sample nothing but {@link #stop()} cancels a handler.
     */
    private static ConnectionHandler counted(AtomicInteger open, AtomicInteger closedByServer) {
        return (reader, writer) -> {
            open.incrementAndGet();
            try {
                echo(reader, writer);
            } catch (CancellationException e) {
                closedByServer.incrementAndGet();
                throw e;
            } finally {
                open.decrementAndGet();
            }
        };
    }

    /** One connection in streams mode: echo until EOF, waiting for the peer whenever our buffer is full. */
    private static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        while (echoOneChunk(reader, writer)) {
            writer.drain();
        }
    }

    /**
     * The chunk is lent, not copied: the transport's own bytes, which the writer sends without a copy either. It is
     * valid until the next read, which is after the drain.
     */
    private static boolean echoOneChunk(StreamReader reader, StreamWriter writer) throws IOException {
        ByteBuffer chunk = reader.readChunk(CHUNK);
        if (!chunk.hasRemaining()) {
            return false;
        }
        writer.write(chunk);
        return true;
    }

    List<SocketAddress> addresses() {
        return addresses;
    }

    /** How a group server spreads its connections; null on one loop. */
    Spread spread() {
        return spread;
    }

    int port() {
        return ((InetSocketAddress) addresses.getFirst()).getPort();
    }

    /**
     * Stop accepting and close the connections still open; returns how many it closed. Streams mode cancels the
     * handlers (aborting their connections) and waits until they have ended, shielded from the calling task's own
     * cancellation so that it works in the {@code finally} of a cancelled main; it counts the handlers that ended so,
     * not those that ended by themselves meanwhile. Protocol mode closes the transports without waiting and counts
     * those open when it was called. In a task: on one loop, of the loop that serves.
     */
    int stop() throws Exception {
        int closedBefore = closedByServer.get();
        int openBefore = open.get();
        switch (server) {
            case StreamServer streams -> Tasks.shielded(() -> streams.closeGracefully(Duration.ZERO));
            case GroupStreamServer streams ->
                    Tasks.shielded(() -> Async.await(streams.closeGracefully(Duration.ZERO)));
            case Server listener -> {
                listener.closeClients();
                return openBefore;
            }
            case GroupServer listeners -> {
                listeners.closeClients();
                return openBefore;
            }
            default -> throw new IllegalStateException("not a server of the echo sample: " + server);
        }
        return closedByServer.get() - closedBefore;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
