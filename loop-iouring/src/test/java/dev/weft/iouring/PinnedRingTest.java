package dev.weft.iouring;

import dev.weft.loop.EventLoop;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The io_uring ring: Netty's own single-issuer ring, tied to the first thread that runs the loop. */
@Timeout(30)
class PinnedRingTest {
    private final ExecutorService owner =
            Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "ring-owner"));

    private static EventLoop pinned() {
        return new IoUringLoopProvider().newLoop();
    }

    @Test
    void aPinnedLoopServesAndConnectsOnTheThreadThatRunsIt() throws Exception {
        String echoed = Loops.run(PinnedRingTest::pinned, () -> {
            StreamServer server = Streams.startServer((reader, writer) -> {
                writer.write(reader.readLineBytes());
                writer.drain();
            }, "127.0.0.1", 0);
            try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write("pinned\n".getBytes(StandardCharsets.US_ASCII));
                return new String(c.reader().readLineBytes(), StandardCharsets.US_ASCII);
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("pinned\n", echoed);
    }

    @Test
    void runningAPinnedLoopOnAnotherThreadFailsNamingItsThreadAndTheRemedy() throws Exception {
        EventLoop loop = ranByOwner();
        loop.callSoon(loop::stop);
        InvalidStateException error = assertThrows(InvalidStateException.class, loop::runForever);
        assertTrue(error.getMessage().contains("pinned to thread 'ring-owner'"), error.getMessage());
        assertTrue(error.getMessage().contains("-Dweft.loop=epoll"), error.getMessage());
        owner.submit(() -> {
            loop.runForever(); // the stop queued above is still there: it runs and returns on its own thread
            loop.close();
        }).get();
        assertTrue(loop.isClosed());
    }

    /** Refused before anything is closed: the loop stays open, and its own thread can still close it. */
    @Test
    void closingAPinnedLoopOnAnotherThreadFailsAndLeavesItForItsOwnThreadToClose() throws Exception {
        EventLoop loop = ranByOwner();
        InvalidStateException error = assertThrows(InvalidStateException.class, loop::close);
        assertTrue(error.getMessage().contains("pinned to thread 'ring-owner'"), error.getMessage());
        assertFalse(loop.isClosed(), "a refused close left the loop open");
        owner.submit(loop::close).get();
        assertTrue(loop.isClosed());
    }

    /** The switch that chose a ring moving between threads is gone: whoever sets it is told so, once. */
    @Test
    void theRemovedUnpinningSwitchGetsOneWarningNamingTheRemedy() {
        System.setProperty(IoUringBackend.REMOVED_PINNING_PROPERTY, "false");
        try (LogCapture logs = LogCapture.of("dev.weft.iouring")) {
            pinned().close();
            pinned().close();
            List<String> warnings = logs.records(r -> LogCapture.text(r).contains("-Dweft.iouring.pinned")).stream()
                    .map(LogCapture::text).toList();
            assertEquals(1, warnings.size(), warnings.toString());
            String warning = warnings.getFirst();
            assertTrue(warning.contains("no longer read") && warning.contains("-Dweft.loop=epoll"), warning);
        } finally {
            System.clearProperty(IoUringBackend.REMOVED_PINNING_PROPERTY);
        }
    }

    /** A loop made and run once by {@link #owner}: its ring is now that thread's. */
    private EventLoop ranByOwner() throws Exception {
        EventLoop loop = owner.submit(PinnedRingTest::pinned).get();
        owner.submit(() -> {
            loop.callSoon(loop::stop);
            loop.runForever();
        }).get();
        return loop;
    }

    @AfterEach
    void stopOwner() throws InterruptedException {
        owner.shutdown();
        assertTrue(owner.awaitTermination(10, TimeUnit.SECONDS));
    }
}
