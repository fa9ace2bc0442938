package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
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

    private EchoServer(AutoCloseable server, List<SocketAddress> addresses, Spread spread) {
        this.server = server;
        this.addresses = addresses;
        this.spread = spread;
    }

    /** Start serving in the given mode. @throws IllegalArgumentException for an unknown mode */
    static EchoServer start(String mode, String host, int port) throws IOException {
        return switch (mode) {
            case "streams" -> {
                StreamServer server = Streams.startServer(EchoServer::echo, host, port);
                yield new EchoServer(server, server.addresses(), null);
            }
            case "protocol" -> {
                EventLoop loop = Async.loop();
                if (!(loop instanceof NetworkLoop network)) {
                    throw new UnsupportedOperationException("the " + loop.backendName() + " loop has no networking");
                }
                Server server = network.listen(new InetSocketAddress(host, port), EchoProtocol::new,
                        SocketOptions.DEFAULTS).await();
                yield new EchoServer(server, server.addresses(), null);
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
        return switch (mode) {
            case "streams" -> {
                GroupStreamServer server = GroupStreamServer.start(group, EchoServer::echo, address);
                yield new EchoServer(server, server.addresses(), server.spread());
            }
            case "protocol" -> {
                GroupServer server = GroupServer.listen(group, address, EchoProtocol::new, SocketOptions.DEFAULTS);
                yield new EchoServer(server, server.addresses(), server.spread());
            }
            default -> throw new IllegalArgumentException("mode is streams or protocol, not '" + mode + "'");
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

    @Override
    public void close() throws Exception {
        server.close();
    }
}
