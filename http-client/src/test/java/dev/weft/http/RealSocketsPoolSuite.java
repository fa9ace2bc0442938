package dev.weft.http;

import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.sync.Event;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool with real connections to a line echo server on 127.0.0.1, on real time. */
abstract class RealSocketsPoolSuite extends AbstractPoolSuite {

    /** A real stream connection as the pool sees it. */
    record SocketConnection(StreamConnection stream) implements PooledConnection {
        @Override
        public boolean isOpen() {
            return !stream.writer().isClosing() && !stream.reader().atEof();
        }

        @Override
        public void close() {
            stream.writer().abort();
        }

        String ask(String line) throws java.io.IOException {
            stream.writer().write(line + "\n", StandardCharsets.US_ASCII);
            return stream.reader().readLine(StandardCharsets.US_ASCII);
        }
    }

    @Override
    boolean virtualTime() {
        return false; // a virtual clock would let the pool's wait timer win races against real I/O
    }

    /**
     * Serve a line echo server to the body, then close it, wait for its handlers, and check no task is left. With
     * {@code hangUp}, each connection is closed by the server once its first line is answered and the event is set:
     * a server whose keep-alive ran out.
     */
    void withEchoServer(Event hangUp, Body<Origin> body) throws Exception {
        StreamServer server = Streams.startServer((reader, writer) -> {
            String line;
            while ((line = reader.readLine(StandardCharsets.US_ASCII)) != null) {
                writer.write(line + "\n", StandardCharsets.US_ASCII);
                writer.drain();
                if (hangUp != null) {
                    hangUp.await();
                    return;
                }
            }
        }, "127.0.0.1", 0);
        try {
            body.run(new Origin("http", "127.0.0.1", server.port()));
        } finally {
            server.closeGracefully(Duration.ofSeconds(5));
        }
        assertNoTaskLeft();
    }

    @FunctionalInterface
    interface Body<T> {
        void run(T value) throws Exception;
    }

    private static ConnectionPool<SocketConnection> socketPool(PoolLimits limits, AtomicInteger connects) {
        return new ConnectionPool<>(dev.weft.loop.Async.loop(), limits, route -> {
            connects.incrementAndGet();
            return new SocketConnection(Streams.openConnection(route.origin().host(), route.origin().port()));
        });
    }

    @Test
    void requestsShareFewRealConnectionsUnderTheLimit() throws Exception {
        run(() -> withEchoServer(null, origin -> {
            AtomicInteger connects = new AtomicInteger();
            var pool = socketPool(LIMITS.withPerHost(2), connects);
            List<Task<String>> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String question = "ping " + i;
                requests.add(Tasks.spawn(() -> {
                    var lease = pool.acquire(origin);
                    try (lease) {
                        String answer = lease.connection().ask(question);
                        lease.release(true);
                        return answer;
                    }
                }));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("ping " + i, requests.get(i).await());
            }
            assertEquals(2, connects.get(), "20 requests over the 2 connections the per-host limit allows");
            assertEquals(new PoolStats.HostStats(2, 0, 0, 0), pool.stats().host(origin));
            closeAndCheckEmpty(pool);
        }));
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsDroppedNotReused() throws Exception {
        Event hangUp = new Event();
        run(() -> withEchoServer(hangUp, origin -> {
            AtomicInteger connects = new AtomicInteger();
            var pool = socketPool(LIMITS, connects);
            var first = pool.acquire(origin);
            assertEquals("one", first.connection().ask("one"));
            first.release(true);
            assertHost(pool, origin, 1, 0, 0, 0);
            hangUp.set(); // the server closes the idle connection; the client sees its FIN at the next read
            assertEquals(0, first.connection().stream().reader().read(1).length);
            assertFalse(first.connection().isOpen());

            var second = pool.acquire(origin);
            assertNotSame(first.connection(), second.connection());
            assertFalse(second.reused());
            assertTrue(first.connection().stream().writer().isClosing(), "the stale one was closed");
            assertEquals("two", second.connection().ask("two"));
            second.release(false);
            assertEquals(2, connects.get());
            closeAndCheckEmpty(pool);
        }));
    }

    @Test
    void closingThePoolClosesItsRealConnections() throws Exception {
        run(() -> withEchoServer(null, origin -> {
            var pool = socketPool(LIMITS, new AtomicInteger());
            var idle = pool.acquire(origin);
            var leased = pool.acquire(origin);
            assertEquals("x", idle.connection().ask("x"));
            idle.release(true);
            pool.close();
            assertTrue(idle.connection().stream().writer().isClosing());
            assertTrue(leased.connection().stream().writer().isClosing());
            idle.connection().stream().writer().awaitClosed();
            leased.connection().stream().writer().awaitClosed();
            closeAndCheckEmpty(pool);
        }));
    }
}
