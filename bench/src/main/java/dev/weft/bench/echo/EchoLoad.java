package dev.weft.bench.echo;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Consumer;

/**
 * The echo load generator, after uvloop's vmbench: each connection keeps exactly one message outstanding, sends the
 * next only once the whole echo is back, and records the round trip. One thread and one selector drive every
 * connection, so the generator costs one core and knows nothing of the server under test.
 *
 * <p>Per request it does one write and, for small messages, one read: the buffers are allocated once per connection
 * and direct (no copy in the JDK), and the selector hands keys to a callback (no iterator, no set to clear). A big
 * message that the socket cannot take at once waits for OP_WRITE instead of spinning, and its echo is read in as many
 * chunks as it arrives in while the rest is still being sent.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.echo.EchoLoad --port 7000 --connections 100 --size 1024 --seconds 10
 * </pre>
 *
 * Prints one line: requests/s, p50 and p99 latency in microseconds, and the count, for the measured window (after a
 * warm-up that is not counted, and in which every echo is checked byte for byte).
 */
public final class EchoLoad {

    /** What the measured window saw: replies completed in it, their round trips, and its exact length. */
    public record Result(long requests, double seconds, double p50Micros, double p99Micros, double p999Micros) {
        public double requestsPerSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.0f req/s  p50 %.0f us  p99 %.0f us  (%d requests)",
                    requestsPerSecond(), p50Micros, p99Micros, requests);
        }
    }

    /** Called on the load thread at the exact edges of the measured window, e.g. to read the server's CPU time. */
    public interface Window {
        Window NONE = new Window() {
            @Override
            public void opened() {
            }

            @Override
            public void closed() {
            }
        };

        /**
         * Asked every {@link #WARM_CHECK} once the warm-up time is over: may the window open now? Until the answer is
         * yes (or the warm-up has taken {@link #MAX_WARMUP_FACTOR} times its time), the warm-up goes on.
         */
        default boolean warm() throws IOException {
            return true;
        }

        void opened() throws IOException;

        void closed() throws IOException;
    }

    /** How often a warm-up that ran its time asks whether the server is warm. */
    static final Duration WARM_CHECK = Duration.ofMillis(500);
    /** A warm-up ends at this many times its set length even if the server never says it is warm. */
    static final int MAX_WARMUP_FACTOR = 3;

    private EchoLoad() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        Result result = run(new InetSocketAddress(options.text("host", "127.0.0.1"), options.integer("port", 7000)),
                options.integer("connections", 10), options.integer("size", 1024), options.seconds("warmup", 2),
                options.seconds("seconds", 10), Window.NONE);
        System.out.println(result);
    }

    /**
     * Drive the server for the warm-up and then the measured duration, on fresh connections. The warm-up lasts at least
     * its set time, and then as long as {@link Window#warm()} says no.
     *
     * @throws IOException if a connection fails, the server closes one, or an echo differs from what was sent
     */
    public static Result run(InetSocketAddress server, int connections, int size, Duration warmup, Duration measured,
                             Window window) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Connection> all = new ArrayList<>();
            try {
                byte[] pattern = new byte[size];
                for (int i = 0; i < size; i++) {
                    pattern[i] = (byte) ('a' + i % 26);
                }
                for (int i = 0; i < connections; i++) {
                    all.add(new Connection(SocketChannel.open(server), pattern, selector));
                }
                return drive(selector, all, warmup, measured, window);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                for (Connection connection : all) {
                    connection.channel.close();
                }
            }
        }
    }

    private static Result drive(Selector selector, List<Connection> all, Duration warmup, Duration measured,
                                Window window) throws IOException {
        Latencies latencies = new Latencies();
        long started = System.nanoTime();
        long warmupLimit = started + MAX_WARMUP_FACTOR * warmup.toNanos();
        long measureFrom = started + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        boolean[] measuring = {false};
        Consumer<SelectionKey> onReady = key -> { // one instance for the whole run: nothing allocated per select
            try {
                Connection connection = (Connection) key.attachment();
                if (key.isWritable()) {
                    connection.sendMore();
                }
                if (key.isReadable() && connection.receive(!measuring[0])) {
                    long at = System.nanoTime();
                    if (measuring[0]) {
                        latencies.add(at - connection.sentAt);
                    }
                    connection.send(at);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        for (Connection connection : all) {
            connection.send(System.nanoTime());
        }
        long now;
        while ((now = System.nanoTime()) < end) {
            if (!measuring[0] && now >= measureFrom && now < warmupLimit && !window.warm()) {
                measureFrom = now + WARM_CHECK.toNanos();
                end = measureFrom + measured.toNanos();
            } else if (!measuring[0] && now >= measureFrom) {
                window.opened();
                measureFrom = System.nanoTime(); // the window starts when the server's CPU time was read
                end = measureFrom + measured.toNanos();
                measuring[0] = true;
            }
            long untilEdge = (measuring[0] ? end : measureFrom) - now;
            selector.select(onReady, Math.max(1, Math.min(100, untilEdge / 1_000_000)));
        }
        window.closed();
        double seconds = (System.nanoTime() - measureFrom) / 1e9;
        return new Result(latencies.size(), seconds, latencies.percentile(50) / 1e3, latencies.percentile(99) / 1e3,
                latencies.percentile(99.9) / 1e3);
    }

    /** One connection with its one outstanding message. */
    private static final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer message;
        final ByteBuffer echo;
        long sentAt;

        Connection(SocketChannel channel, byte[] pattern, Selector selector) throws IOException {
            this.channel = channel;
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            this.message = ByteBuffer.allocateDirect(pattern.length).put(pattern).flip();
            this.echo = ByteBuffer.allocateDirect(pattern.length);
            this.key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        void send(long now) throws IOException {
            sentAt = now;
            message.clear();
            sendMore();
        }

        /** Write what the socket takes; wait for OP_WRITE while part of the message is left. */
        void sendMore() throws IOException {
            channel.write(message);
            int ops = message.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        }

        /**
         * Read what arrived; true when the whole echo is in. The echo buffer holds one message, and the server cannot
         * send more than it was sent, so a read never takes bytes of the next reply.
         */
        boolean receive(boolean verify) throws IOException {
            if (channel.read(echo) < 0) {
                throw new IOException("the server closed a connection mid-echo");
            }
            if (echo.hasRemaining()) {
                return false;
            }
            echo.flip();
            if (verify && echo.mismatch(message.duplicate().clear()) >= 0) {
                throw new IOException("the server echoed different bytes than it was sent");
            }
            echo.clear();
            return true;
        }
    }
}
