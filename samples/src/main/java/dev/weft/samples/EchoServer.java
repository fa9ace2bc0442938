package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The echo server in its two styles, as the echo benchmark drives it: {@code streams} (a task per connection reading
 * and writing with await) and {@code protocol} (callbacks on the loop, no task). Inside a task of the loop that serves.
 */
final class EchoServer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final AutoCloseable server;
    private final List<SocketAddress> addresses;

    private EchoServer(AutoCloseable server, List<SocketAddress> addresses) {
        this.server = server;
        this.addresses = addresses;
    }

    /** Start serving in the given mode. @throws IllegalArgumentException for an unknown mode */
    static EchoServer start(String mode, String host, int port) throws IOException {
        return switch (mode) {
            case "streams" -> {
                StreamServer server = Streams.startServer(EchoServer::echo, host, port);
                yield new EchoServer(server, server.addresses());
            }
            case "protocol" -> {
                EventLoop loop = Async.loop();
                if (!(loop instanceof NetworkLoop network)) {
                    throw new UnsupportedOperationException("the " + loop.backendName() + " loop has no networking");
                }
                Server server = network.listen(new InetSocketAddress(host, port), EchoProtocol::new,
                        SocketOptions.DEFAULTS).await();
                yield new EchoServer(server, server.addresses());
            }
            default -> throw new IllegalArgumentException("mode is streams or protocol, not '" + mode + "'");
        };
    }

    /** One connection in streams mode: echo until EOF, waiting for the peer whenever our buffer is full. */
    private static void echo(StreamReader reader, StreamWriter writer) {
        byte[] chunk;
        while ((chunk = reader.read(CHUNK)).length > 0) {
            writer.write(chunk);
            writer.drain();
        }
    }

    List<SocketAddress> addresses() {
        return addresses;
    }

    int port() {
        return ((InetSocketAddress) addresses.getFirst()).getPort();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
