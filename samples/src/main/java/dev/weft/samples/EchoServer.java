package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
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
import java.util.List;
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

    private EchoServer(AutoCloseable server, List<SocketAddress> addresses, Spread spread, AtomicInteger open) {
        this.server = server;
        this.addresses = addresses;
        this.spread = spread;
        this.open = open;
    }

    /** Start serving in the given mode. @throws IllegalArgumentException for an unknown mode */
    static EchoServer start(String mode, String host, int port) throws IOException {
        AtomicInteger open = new AtomicInteger();
        return switch (mode) {
            case "streams" -> {
                StreamServer server = Streams.startServer(counted(open), host, port);
                yield new EchoServer(server, server.addresses(), null, open);
            }
            case "protocol" -> {
                EventLoop loop = Async.loop();
                if (!(loop instanceof NetworkLoop network)) {
                    throw new UnsupportedOperationException("the " + loop.backendName() + " loop has no networking");
                }
                Server server = network.listen(new InetSocketAddress(host, port), () -> new EchoProtocol(open),
                        SocketOptions.DEFAULTS).await();
                yield new EchoServer(server, server.addresses(), null, open);
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
        return switch (mode) {
            case "streams" -> {
                GroupStreamServer server = GroupStreamServer.start(group, counted(open), address);
                yield new EchoServer(server, server.addresses(), server.spread(), open);
            }
            case "protocol" -> {
                GroupServer server = GroupServer.listen(group, address, () -> new EchoProtocol(open),
                        SocketOptions.DEFAULTS);
                yield new EchoServer(server, server.addresses(), server.spread(), open);
            }
            default -> throw new IllegalArgumentException("mode is streams or protocol, not '" + mode + "'");
        };
    }

    /** The streams-mode handler, counting the connections it serves. */
    private static ConnectionHandler counted(AtomicInteger open) {
        return (reader, writer) -> {
            open.incrementAndGet();
            try {
                echo(reader, writer);
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
     * The chunk read is ours, so the writer gets it whole instead of a copy, and it is out of scope before the drain:
     * a peer that stops reading would otherwise keep a second chunk alive per connection for as long as it likes.
     */
    private static boolean echoOneChunk(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] chunk = reader.read(CHUNK);
        if (chunk.length == 0) {
            return false;
        }
        writer.write(ByteBuffer.wrap(chunk));
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
     * Stop accepting and close the connections still open; returns how many that was. Does not wait. On one loop, a
     * streams server's handlers are cancelled when the loop closes (as {@code Loops.run} does when main ends); on a
     * group, when the group closes.
     */
    int stop() throws Exception {
        int closing = open.get();
        switch (server) {
            case Server listener -> listener.closeClients();
            case GroupServer listeners -> listeners.closeClients();
            default -> server.close();
        }
        return closing;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
