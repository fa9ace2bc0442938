package dev.weft.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The echo load generator, after uvloop's vmbench: each connection keeps exactly one message outstanding, sends the
 * next as soon as the whole echo is back, and records the round trip. One thread and one selector drive every
 * connection, so the generator costs one core and knows nothing of the server under test.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.echo.EchoLoad --port 7000 --connections 100 --size 1024 --seconds 10
 * </pre>
 *
 * Prints one line: requests/s, p50 and p99 latency in microseconds, and the count, for the measured window (after a
 * warm-up that is not counted).
 */
public final class EchoLoad {

    /** What one run measured. */
    public record Result(double requestsPerSecond, double p50Micros, double p99Micros, long requests) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f req/s  p50 %.0f us  p99 %.0f us  (%d requests)",
                    requestsPerSecond, p50Micros, p99Micros, requests);
        }
    }

    private EchoLoad() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        Result result = run(new InetSocketAddress(options.text("host", "127.0.0.1"), options.integer("port", 7000)),
                options.integer("connections", 10), options.integer("size", 1024),
                Duration.ofMillis((long) (options.decimal("warmup", 2) * 1000)),
                Duration.ofMillis((long) (options.decimal("seconds", 10) * 1000)));
        System.out.println(result);
    }

    /** Drive the server for warm-up plus the measured duration; returns what the measured window saw. */
    public static Result run(InetSocketAddress server, int connections, int size, Duration warmup, Duration measured)
            throws IOException {
        try (Selector selector = Selector.open()) {
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel channel = SocketChannel.open(server);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
                Connection connection = new Connection(channel, size);
                channel.register(selector, SelectionKey.OP_READ, connection);
                all.add(connection);
            }
            Latencies latencies = new Latencies();
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + measured.toNanos();
            for (Connection connection : all) {
                connection.send(System.nanoTime());
            }
            long now;
            while ((now = System.nanoTime()) < end) {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    long finished = connection.receive();
                    if (finished > 0) {
                        long at = System.nanoTime();
                        if (connection.sentAt >= measureFrom) {
                            latencies.add(at - connection.sentAt);
                        }
                        connection.send(at);
                    }
                }
                selector.selectedKeys().clear();
            }
            for (Connection connection : all) {
                connection.channel.close();
            }
            double seconds = (now - measureFrom) / 1e9;
            return new Result(latencies.size() / seconds, latencies.percentile(50) / 1e3,
                    latencies.percentile(99) / 1e3, latencies.size());
        }
    }

    /** One connection with its one outstanding message. */
    private static final class Connection {
        final SocketChannel channel;
        final ByteBuffer message;
        final ByteBuffer echo;
        long sentAt;

        Connection(SocketChannel channel, int size) {
            this.channel = channel;
            this.message = ByteBuffer.allocateDirect(size);
            for (int i = 0; i < size; i++) {
                message.put(i, (byte) ('a' + i % 26));
            }
            this.echo = ByteBuffer.allocateDirect(size);
        }

        void send(long now) throws IOException {
            sentAt = now;
            message.clear();
            while (message.hasRemaining()) { // small messages go out at once; loopback buffers are large
                channel.write(message);
            }
        }

        /** Read what arrived; return 1 when the whole echo is in, 0 when more is due. */
        long receive() throws IOException {
            if (channel.read(echo) < 0) {
                throw new IOException("the server closed a connection mid-echo");
            }
            if (echo.hasRemaining()) {
                return 0;
            }
            echo.clear();
            return 1;
        }
    }
}
