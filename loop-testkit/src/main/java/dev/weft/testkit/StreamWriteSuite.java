package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.randomBytes;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * StreamWriter over real sockets on the loopback address: bytes arrive whole and in order, drain() holds a writer back
 * to a slow reader's pace, half-close, and the errors of writing to a closed or vanished connection.
 */
public abstract class StreamWriteSuite extends LoopSuite {
    private static final int CHUNK = 64 * 1024;

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    /** Run the body with a connection to a new server, then close the server and wait for its handlers. */
    private <T> T withServer(ConnectionHandler handler, Body<T> body) {
        return run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                return body.run(c);
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(StreamConnection connection) throws Exception;
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 1000, 65_537, 1 << 20, 10 << 20})
    void anEchoReturnsEveryByteInOrder(int size) {
        byte[] payload = randomBytes(size, size);
        byte[] echoed = withServer(StreamTests::echo, c -> {
            Task<Void> writing = Tasks.spawn(() -> {
                c.writer().write(payload);
                c.writer().drain();
                c.writer().writeEof();
                return null;
            });
            byte[] got = c.reader().readExactly(size);
            assertEquals(0, c.reader().read(1).length, "the server closes after the echo");
            writing.await();
            return got;
        });
        assertArrayEquals(payload, echoed);
    }

    /**
     * The server's handler reads nothing until its reader has paused the transport (it checks once per loop iteration,
     * without a timer): a slow reader. The client writes in chunks, draining after each: drain() suspends whenever the
     * write buffer is past its high water mark, and returns at the low one, so the client never has more than the high
     * water mark plus one chunk buffered. Once the server reads, every byte arrives, in order.
     */
    @Test
    void aSlowReaderSuspendsTheWritersDrainAndItsBufferStaysBounded() {
        AtomicBoolean serverPaused = new AtomicBoolean();
        ConnectionHandler slowReader = (reader, writer) -> {
            long spins = 0;
            while (writer.transport().isReading()) {
                Async.sleep(Duration.ZERO); // one loop iteration: the client writes meanwhile
                if (++spins > 1_000_000) {
                    fail("the reader never paused its transport; " + reader.buffered() + " bytes buffered");
                }
            }
            assertTrue(reader.buffered() > 2 * reader.limit(), "paused past twice the limit: " + reader.buffered());
            serverPaused.set(true);
            long count = 0;
            byte[] chunk;
            while ((chunk = reader.read(CHUNK)).length > 0) {
                for (byte b : chunk) {
                    if (b != pattern(count++)) {
                        fail("byte " + (count - 1) + " arrived out of order");
                    }
                }
            }
            writer.write(ascii(count + "\n"));
        };
        long[] result = withServer(slowReader, c -> {
            StreamWriter writer = c.writer();
            StreamTransport transport = writer.transport();
            long written = 0;
            int maxBuffered = 0;
            int drainsThatWaited = 0;
            int chunksAfterThePause = 0;
            while (chunksAfterThePause < 64) {
                byte[] chunk = new byte[CHUNK];
                for (int i = 0; i < CHUNK; i++) {
                    chunk[i] = pattern(written + i);
                }
                writer.write(chunk);
                written += CHUNK;
                maxBuffered = Math.max(maxBuffered, transport.writeBufferSize());
                boolean pastHighWater = transport.writeBufferSize() > StreamTransport.DEFAULT_HIGH_WATER;
                writer.drain(); // waits only when past the high water mark
                if (pastHighWater) {
                    drainsThatWaited++;
                    assertTrue(transport.writeBufferSize() <= StreamTransport.DEFAULT_LOW_WATER,
                            "drain returned at the low water mark: " + transport.writeBufferSize());
                }
                if (serverPaused.get()) {
                    chunksAfterThePause++;
                }
                if (written > (1L << 30)) {
                    fail("1 GiB written to a server that reads nothing, and it never paused");
                }
            }
            writer.writeEof();
            long received = Long.parseLong(text(c.reader().readLineBytes()).strip());
            return new long[] {written, received, maxBuffered, drainsThatWaited};
        });
        assertEquals(result[0], result[1], "every byte written arrived");
        assertTrue(result[2] <= StreamTransport.DEFAULT_HIGH_WATER + CHUNK,
                "the write buffer stayed under the high water mark plus one write: " + result[2]);
        assertTrue(result[3] > 0, "drain() held the writer back");
    }

    private static byte pattern(long index) {
        return (byte) (index * 31 + (index >>> 16));
    }

    @Test
    void afterWriteEofThePeerReadsToTheEndAndItsAnswerStillArrives() {
        ConnectionHandler answerAtEof = (reader, writer) -> {
            byte[] request = reader.readAll();
            writer.write(ascii("got " + request.length + " bytes: " + text(request)));
        };
        String answer = withServer(answerAtEof, c -> {
            assertTrue(c.writer().canWriteEof());
            c.writer().write(ascii("hello"));
            c.writer().writeEof();
            c.writer().writeEof(); // a second one does nothing
            assertThrows(ClosedResourceException.class, () -> c.writer().write(ascii("more")));
            assertFalse(c.writer().isClosing(), "half-closed, not closed");
            return text(c.reader().readAll());
        });
        assertEquals("got 5 bytes: hello", answer);
    }

    /** See {@link StreamTests#answerInBurstsToAPeerThatEndedItsSide}; over TCP here, over a Unix socket there. */
    @Test
    void aPeerThatEndedItsSideGetsAnAnswerInBurstsLongerThanTheSocketsHold() {
        List<Boolean> hadToWait = run(() -> StreamTests.answerInBurstsToAPeerThatEndedItsSide(
                new java.net.InetSocketAddress(LOCALHOST, 0)));
        assertEquals(List.of(true, true, true), hadToWait, "each burst filled the socket and waited");
    }

    @Test
    void writingAfterCloseThrowsClosedResourceException() {
        ConnectionHandler drainToTheEnd = (reader, writer) -> reader.readAll(); // answers nothing: no reset races
        List<String> outcome = withServer(drainToTheEnd, c -> {
            StreamWriter writer = c.writer();
            writer.write(ascii("last words"));
            writer.close();
            writer.close(); // idempotent
            assertTrue(writer.isClosing());
            assertThrows(ClosedResourceException.class, () -> writer.write(ascii("more")));
            assertThrows(ClosedResourceException.class, () -> writer.write(java.nio.ByteBuffer.allocate(1)));
            assertThrows(ClosedResourceException.class, writer::drain);
            assertThrows(ClosedResourceException.class, writer::writeEof);
            writer.awaitClosed();
            return List.of(text(c.reader().readAll()), String.valueOf(c.reader().atEof()));
        });
        assertEquals(List.of("", "true"), outcome, "a reader whose connection this side closed is at its end");
    }

    @Test
    void writingToAPeerThatVanishedFailsWithBrokenResourceException() {
        ConnectionHandler vanish = (reader, writer) -> {
            reader.readLineBytes();
            writer.abort();
        };
        Throwable failure = withServer(vanish, c -> {
            c.writer().write(ascii("go\n"));
            assertEquals(0, c.reader().read(1).length, "the peer's end arrives first");
            byte[] chunk = new byte[1024];
            Callable<Void> writeAndDrain = () -> {
                c.writer().write(chunk);
                c.writer().drain();
                return null;
            };
            for (int i = 0; i < 10_000; i++) {
                try {
                    writeAndDrain.call();
                } catch (BrokenResourceException e) {
                    assertThrows(BrokenResourceException.class, writeAndDrain::call, "broken stays broken");
                    assertThrows(BrokenResourceException.class, c.writer()::awaitClosed);
                    return e;
                }
            }
            return fail("10,000 writes to a connection the peer aborted, and none failed");
        });
        assertTrue(failure.getMessage().contains(LOCALHOST), "the error names the peer: " + failure.getMessage());
    }
}
