package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.Tasks;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.randomBytes;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two backends on one wire: a server on one backend's loop (its own thread), a client on another's. Each backend is
 * tested against itself by the other suites; these catch what only a different peer shows (a backend that relies on
 * its own quirks for half-close, chunking or flow control).
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class MixedBackendSuite {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private EventLoop serverLoop;
    private Thread serverThread;
    private StreamServer server;
    private int port; // read on the server's loop: a server is confined to it

    /** A new loop of the backend that serves. */
    protected abstract EventLoop newServerLoop();

    /** A new loop of the backend that connects. */
    protected abstract EventLoop newClientLoop();

    @BeforeEach
    final void startServer() throws Exception {
        serverLoop = newServerLoop();
        serverThread = Thread.ofPlatform().name("mixed-server-" + serverLoop.backendName()).start(() -> {
            serverLoop.runForever();
            serverLoop.close(); // on its own thread: some loops (a pinned io_uring ring) may only be closed there
        });
        port = serverLoop.submit(() -> {
            server = Streams.startServer(MixedBackendSuite::serve, "127.0.0.1", 0);
            return server.port();
        }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @AfterEach
    final void stopServer() throws Exception {
        serverLoop.submit(() -> {
            server.close();
            server.awaitClosed();
            return null;
        }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        serverLoop.stop();
        serverThread.join(PATIENCE);
        assertTrue(serverLoop.isClosed(), "the server's loop closed on its thread");
    }

    /** Echo until EOF, then say how many bytes came, then EOF: exercises both directions of a half-close. */
    private static void serve(StreamReader reader, StreamWriter writer) throws IOException {
        long count = 0;
        byte[] chunk;
        while ((chunk = reader.read(64 * 1024)).length > 0) {
            count += chunk.length;
            writer.write(chunk);
            writer.drain();
        }
        writer.write(ascii("\n" + count + " bytes\n"));
        writer.writeEof();
        writer.drain();
    }

    private <T> T client(dev.weft.loop.Body<T, ?> main) throws Exception {
        return Loops.run(this::newClientLoop, main);
    }

    @Test
    void fourMiBGoesThereAndBackByteForByteThenBothSidesHalfClose() throws Exception {
        byte[] sent = randomBytes(4 << 20, 42);
        byte[] back = client(() -> exchange(sent));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(sent);
        expected.writeBytes(ascii("\n" + sent.length + " bytes\n"));
        assertArrayEquals(expected.toByteArray(), back);
    }

    @Test
    void aHundredConnectionsAtOnceEachGetTheirOwnBytesBack() throws Exception {
        List<byte[]> backs = client(() -> {
            List<dev.weft.loop.Task<byte[]>> exchanges = new ArrayList<>();
            try (TaskGroup group = TaskGroup.open()) {
                for (int i = 0; i < 100; i++) {
                    byte[] sent = randomBytes(10_000, i);
                    exchanges.add(group.spawn(() -> exchange(sent)));
                }
            }
            return exchanges.stream().map(dev.weft.loop.Task::result).toList();
        });
        for (int i = 0; i < 100; i++) {
            byte[] back = backs.get(i);
            assertEquals("\n10000 bytes\n", text(java.util.Arrays.copyOfRange(back, 10_000, back.length)));
            assertArrayEquals(randomBytes(10_000, i), java.util.Arrays.copyOf(back, 10_000), "connection " + i);
        }
    }

    /** Send everything from a task of its own while reading, then EOF; return all that came back until the peer's EOF. */
    private byte[] exchange(byte[] sent) throws Exception {
        try (StreamConnection c = Streams.openConnection("127.0.0.1", port)) {
            dev.weft.loop.Task<Void> writing = Tasks.spawn(() -> {
                for (int at = 0; at < sent.length; at += 100_000) {
                    c.writer().write(sent, at, Math.min(100_000, sent.length - at));
                    c.writer().drain();
                }
                c.writer().writeEof();
                return null;
            });
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = c.reader().read(64 * 1024)).length > 0) {
                back.writeBytes(chunk);
            }
            writing.await();
            assertTrue(c.reader().atEof());
            return back.toByteArray();
        }
    }
}
