package dev.weft.testkit;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.BusyResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.net.TlsOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.awaitCondition;
import static dev.weft.testkit.StreamTests.randomBytes;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link StreamReader#readChunk(int)}, the lending read, over real sockets on the loopback address: every byte arrives
 * intact at every size, echoed by a server that lends too; the view is read-only and only as long-lived as documented;
 * the end of the stream, a peer that resets, cancellation and a second reader behave as for {@code read}; a reader
 * that holds lent chunks still pauses its peer; TLS works; and every buffer a reader kept is given back (counted by
 * {@link NetworkLoop#keptBuffers()}), whether it was read past, its connection was lost, or its loop closed.
 */
public abstract class LendingReadSuite extends LoopSuite {
    private static final int CHUNK = 64 * 1024;
    /** The largest read any backend here delivers at once: nio's read buffer and vthreads' largest read. */
    private static final int LARGEST_DELIVERY = 256 * 1024;

    /**
     * Whether this backend's transports keep their delivered buffers for a lending reader instead of copying them (every
     * backend here: the Netty backends, nio, vthreads): the lent bytes then show in {@link NetworkLoop#keptBuffers()}.
     */
    protected boolean keepsDeliveredBuffers() {
        return false;
    }

    /**
     * The size of a delivery this backend keeps rather than copies, sent in one write and read in one: not tiny beside
     * its read buffers. 8 KiB by default (Netty's and vthreads' start at 16 KiB, vthreads' grow to 64 and 256 KiB after
     * reads that fill them, which then copy an 8 KiB delivery; nio's are 256 KiB and keep 8 KiB or more).
     */
    protected int delivery() {
        return 8 * 1024;
    }

    @BeforeEach
    final void requireNetworking() throws Exception {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
        TlsSuite.makeCertificates(); // once per run; outside the tests' timeout
    }

    /** A handler that echoes with the lending read until the end of the stream, as the echo sample does. */
    static void lendingEcho(StreamReader reader, StreamWriter writer) throws IOException {
        ByteBuffer chunk;
        while ((chunk = reader.readChunk(CHUNK)).hasRemaining()) {
            writer.write(chunk);
            writer.drain();
        }
    }

    private int kept() {
        return ((NetworkLoop) loop).keptBuffers();
    }

    /** In a task: wait until the loop's readers keep no buffer (the server's handlers end a moment after a close). */
    private void awaitNothingKept() {
        awaitCondition(PATIENCE, () -> kept() == 0, () -> kept() + " delivered buffers are still kept");
    }

    private <T> T withServer(ConnectionHandler handler, int limit, Body<T> body) {
        return run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0, SocketOptions.DEFAULTS, limit);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS, limit)) {
                return body.run(c);
            } finally {
                server.close();
                server.awaitClosed();
                awaitNothingKept();
            }
        });
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(StreamConnection connection) throws Exception;
    }

    /** Read with readChunk until the end of the stream, copying what each view lends. */
    private static byte[] readAllLent(StreamReader reader, int max) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer chunk;
        while ((chunk = reader.readChunk(max)).hasRemaining()) {
            assertTrue(chunk.remaining() <= max, "a chunk of " + chunk.remaining() + " bytes, more than " + max);
            byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            all.writeBytes(copy);
        }
        return all.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 1024, 10 * 1024, 100 * 1024, 1024 * 1024})
    void bytesEchoedByALendingServerArriveIntactAtEverySize(int size) {
        byte[] payload = randomBytes(size, size);
        byte[] echoed = withServer(LendingReadSuite::lendingEcho, StreamReader.DEFAULT_LIMIT, c -> {
            Task<Void> writing = Tasks.spawn("writer", () -> { // the echo comes back while we write
                c.writer().write(payload);
                c.writer().drain();
                c.writer().writeEof();
                return null;
            });
            byte[] back = readAllLent(c.reader(), 7000); // a max that splits the transport's deliveries
            writing.await();
            return back;
        });
        assertArrayEquals(payload, echoed);
    }

    /**
     * Many connections echo large messages at once through a lending server, and their clients keep every echo whole
     * before they read any (about 27 MiB at once): a backend that lends from a bounded pool of buffers runs out of them
     * and copies the rest (nio's 64 buffers hold 16 MiB), and every byte still arrives, in order, on every connection.
     */
    @Test
    void manyConnectionsEchoingLargeMessagesAtOnceArriveIntact() {
        int connections = 48;
        List<byte[]> echoed = run(() -> {
            StreamServer server = Streams.startServer(LendingReadSuite::lendingEcho, LOCALHOST, 0);
            List<StreamConnection> clients = new ArrayList<>();
            try {
                List<Task<StreamConnection>> sending = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    byte[] payload = randomBytes(largeMessageSize(i), i);
                    sending.add(Tasks.spawn(() -> echoKeptWhole(server, payload)));
                }
                for (Task<StreamConnection> client : sending) {
                    clients.add(client.await());
                }
                assertEquals(keepsDeliveredBuffers(), kept() > 0, "buffers kept with every echo unread: " + kept());
                List<byte[]> all = new ArrayList<>();
                for (StreamConnection client : clients) {
                    all.add(readAllLent(client.reader(), CHUNK));
                }
                return all;
            } finally {
                clients.forEach(StreamConnection::close);
                server.close();
                server.awaitClosed();
                awaitNothingKept();
            }
        });
        for (int i = 0; i < connections; i++) {
            assertArrayEquals(randomBytes(largeMessageSize(i), i), echoed.get(i), "connection " + i);
        }
    }

    /** From 100 KiB to about 1 MiB. */
    private static int largeMessageSize(int connection) {
        return 100 * 1024 + connection * 20 * 1024;
    }

    /**
     * Send the payload on a connection of its own whose reader lends, and wait until its whole echo is buffered: the
     * reader's limit is the payload's size, so it keeps it all without pausing.
     */
    private StreamConnection echoKeptWhole(StreamServer server, byte[] payload) throws Exception {
        StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS, payload.length);
        try {
            c.reader().readChunk(0); // lending: what arrives is kept
            c.writer().write(payload);
            c.writer().drain();
            c.writer().writeEof();
            awaitCondition(PATIENCE, () -> c.reader().buffered() == payload.length, c.reader()::toString);
            return c;
        } catch (Throwable t) {
            c.close();
            throw t;
        }
    }

    @Test
    void theViewIsReadOnlyAndAtMostMaxAndItsBufferIsGivenBackByTheNextRead() {
        withServer((reader, writer) -> {
            reader.readLineBytes();
            writer.write(ascii("0123456789" + "-".repeat(delivery() - 10)));
            reader.readAll(); // keep the connection open until the client is done
        }, StreamReader.DEFAULT_LIMIT, c -> {
            StreamReader reader = c.reader();
            reader.readChunk(0); // lending from now on: what arrives is kept, not copied
            c.writer().write(ascii("go\n"));
            awaitCondition(PATIENCE, () -> reader.buffered() == delivery(), reader::toString);
            ByteBuffer first = reader.readChunk(4);
            assertTrue(first.isReadOnly(), "the view is read-only");
            assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) 'x'));
            assertEquals("0123", text(bytes(first)));
            int keptWhileLent = kept();
            assertEquals(keepsDeliveredBuffers() ? 2 : 0, keptWhileLent,
                    "the lent view and the rest of its delivery keep the transport's buffer, not a copy");
            assertEquals("456789" + "-".repeat(delivery() - 10), text(bytes(reader.readChunk(delivery()))));
            assertEquals(keepsDeliveredBuffers() ? 1 : 0, kept(), "the next read gave the first view's buffer back");
            return null;
        });
    }

    @Test
    void otherReadsAfterLendingReadsGetTheRestInOrder() {
        List<String> got = withServer((reader, writer) -> {
            writer.write(ascii("ab\ncdef--ghij"));
            writer.close();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            StreamReader reader = c.reader();
            List<String> results = new ArrayList<>();
            results.add(text(bytes(reader.readChunk(1))));
            results.add(reader.readLine()); // the kept bytes become the reader's own copy
            results.add(text(bytes(reader.readChunk(2))));
            results.add(text(reader.readUntil(ascii("--"))));
            results.add(text(readAllLent(reader, 100)));
            results.add(String.valueOf(reader.atEof()));
            return results;
        });
        assertEquals(List.of("a", "b", "cd", "ef--", "ghij", "true"), got);
    }

    @Test
    void theEndOfTheStreamIsAnEmptyViewEveryTime() {
        List<Integer> sizes = withServer((reader, writer) -> {
            writer.write(ascii("abc"));
            writer.close();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            byte[] all = readAllLent(c.reader(), CHUNK);
            assertEquals("abc", text(all));
            assertTrue(c.reader().atEof());
            return List.of(c.reader().readChunk(CHUNK).remaining(), c.reader().readChunk(0).remaining());
        });
        assertEquals(List.of(0, 0), sizes);
    }

    /**
     * The server sends much more than the sockets hold and then resets the connection: what arrived before is a prefix
     * of what was sent, then the reads end as {@code read}'s do, and nothing stays kept.
     */
    @Test
    void aPeerResetMidStreamLeavesAPrefixAndKeepsNothing() {
        byte[] payload = randomBytes(16 << 20, 11); // more than the sockets' buffers hold
        withServer((reader, writer) -> {
            writer.write(payload);
            reader.readLineBytes(); // the client has read some
            writer.abort();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            StreamReader reader = c.reader();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.writeBytes(bytes(reader.readChunk(CHUNK)));
            c.writer().write(ascii("reset now\n"));
            try {
                got.writeBytes(readAllLent(reader, CHUNK));
            } catch (BrokenResourceException expected) {
                // the buffered bytes came first; then the reset
            }
            assertEquals(0, kept(), "the reset connection's reader keeps no delivered buffer");
            byte[] prefix = got.toByteArray();
            assertTrue(prefix.length < payload.length, "the reset cut the stream: " + prefix.length + " bytes");
            assertArrayEquals(Arrays.copyOf(payload, prefix.length), prefix, "what arrived is what was sent");
            return null;
        });
    }

    /**
     * A connection closed while its reader keeps delivered buffers it has not read: they are given back at once, and
     * their bytes stay readable, as a copy.
     */
    @Test
    void aClosedConnectionGivesBackWhatItsReaderKeptAndItsBytesStayReadable() {
        byte[] payload = randomBytes(delivery(), 13);
        byte[] got = withServer((reader, writer) -> {
            reader.readLineBytes();
            writer.write(payload);
            reader.readAll(); // until the client closes
        }, StreamReader.DEFAULT_LIMIT, c -> {
            StreamReader reader = c.reader();
            reader.readChunk(0); // lending: what arrives is kept
            c.writer().write(ascii("go\n"));
            awaitCondition(PATIENCE, () -> reader.buffered() == payload.length, reader::toString);
            assertEquals(keepsDeliveredBuffers(), kept() > 0, "buffers kept before the close: " + kept());
            c.writer().close();
            c.writer().awaitClosed();
            assertEquals(0, kept(), "the closed connection's reader keeps no delivered buffer");
            return readAllLent(reader, CHUNK);
        });
        assertArrayEquals(payload, got);
    }

    @Test
    void aLendingReadCancelledWhileWaitingConsumesNothingAndASecondReaderIsBusy() {
        String read = withServer((reader, writer) -> {
            reader.readLineBytes();
            writer.write(ascii("0123456789"));
            reader.readAll();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            Future<Void> started = EventLoop.current().createFuture();
            Task<ByteBuffer> waiting = Tasks.spawn("lender", () -> {
                started.setResult(null);
                return c.reader().readChunk(CHUNK);
            });
            started.await();
            BusyResourceException busy = assertThrows(BusyResourceException.class, () -> c.reader().readChunk(1));
            assertTrue(busy.getMessage().contains("lender") && busy.getMessage().contains("readChunk"),
                    "the error names the task that reads and how: " + busy.getMessage());
            assertThrows(BusyResourceException.class, () -> c.reader().read(1));
            waiting.cancel();
            assertThrows(CancellationException.class, waiting::await);
            c.writer().write(ascii("go\n"));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (all.size() < 10) {
                all.writeBytes(bytes(c.reader().readChunk(CHUNK)));
            }
            return all.toString(java.nio.charset.StandardCharsets.US_ASCII);
        });
        assertEquals("0123456789", read);
    }

    /**
     * A reader that holds a lent chunk and reads no more still pauses its peer at twice its limit, counting what it
     * lent: what it holds stays bounded however much the peer sends; then every byte arrives.
     */
    @Test
    void aSlowReaderHoldingLentChunksPausesItsPeerWithBoundedMemory() {
        int limit = 16 * 1024;
        byte[] payload = randomBytes(8 << 20, 3);
        byte[] got = withServer((reader, writer) -> {
            writer.write(payload);
            writer.drain();
            writer.close();
        }, limit, c -> {
            StreamReader reader = c.reader();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer held = reader.readChunk(limit); // held, not read past, while the peer sends on
            awaitCondition(PATIENCE, () -> !c.writer().transport().isReading(),
                    () -> "the reader never paused its transport: " + reader);
            assertTrue(reader.buffered() + held.remaining() <= 2L * limit + LARGEST_DELIVERY,
                    "a paused reader holds " + (reader.buffered() + held.remaining()) + " bytes");
            all.writeBytes(bytes(held));
            all.writeBytes(readAllLent(reader, 5000));
            return all.toByteArray();
        });
        assertArrayEquals(payload, got);
    }

    @Test
    void aLentViewAndItsSlicesWrittenToAnotherConnectionOfTheLoopArriveIntact() {
        byte[] payload = randomBytes(1 << 20, 5);
        byte[] relayed = withServer(LendingReadSuite::lendingEcho, StreamReader.DEFAULT_LIMIT, c -> {
            StreamServer sink = Streams.startServer((reader, writer) -> lendingEcho(reader, writer), LOCALHOST, 0);
            try (StreamConnection second = Streams.openConnection(LOCALHOST, sink.port())) {
                Task<Void> writing = Tasks.spawn(() -> {
                    c.writer().write(payload);
                    c.writer().drain();
                    c.writer().writeEof();
                    return null;
                });
                Task<Void> relaying = Tasks.spawn(() -> { // a proxy: the first echo's chunks, to the second
                    ByteBuffer chunk;
                    while ((chunk = c.reader().readChunk(CHUNK)).hasRemaining()) {
                        int half = chunk.remaining() / 2; // parts of a view are written without a copy too
                        second.writer().write(chunk.slice(chunk.position(), half));
                        second.writer().write(chunk.duplicate().position(chunk.position() + half));
                        second.writer().drain();
                    }
                    second.writer().writeEof();
                    return null;
                });
                byte[] back = readAllLent(second.reader(), CHUNK);
                writing.await();
                relaying.await();
                return back;
            } finally {
                sink.close();
                sink.awaitClosed();
            }
        });
        assertArrayEquals(payload, relayed);
    }

    @Test
    void lendingReadsWorkOverTls() {
        byte[] payload = randomBytes(1 << 20, 7);
        byte[] echoed = run(() -> {
            StreamServer server = Streams.startServer(LendingReadSuite::lendingEcho, LOCALHOST, 0,
                    SocketOptions.DEFAULTS, TlsSuite.server());
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    TlsSuite.trustingClient())) {
                Task<Void> writing = Tasks.spawn(() -> {
                    c.writer().write(payload);
                    c.writer().drain();
                    return null;
                });
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                while (all.size() < payload.length) {
                    ByteBuffer chunk = c.reader().readChunk(CHUNK);
                    assertTrue(chunk.hasRemaining(), "the stream ended early");
                    all.writeBytes(bytes(chunk));
                }
                writing.await();
                return all.toByteArray();
            } finally {
                server.close();
                server.awaitClosed();
                awaitNothingKept();
            }
        });
        assertArrayEquals(payload, echoed);
    }

    /**
     * The documented misuse: a view kept past the next read. Its memory may hold another connection's bytes by then
     * (Netty's allocator hands it out again once enough has gone through it), so reading or writing the view must not
     * show them: it still holds its own bytes (a copy) or none at all.
     */
    @Test
    void aViewUsedAfterTheNextReadShowsNoOtherConnectionsBytes() {
        String sent = run(() -> {
            StreamServer server = Streams.startServer(LendingReadSuite::lendingEcho, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port());
                 StreamConnection other = Streams.openConnection(LOCALHOST, server.port())) {
                c.reader().readChunk(0); // lending: what arrives is kept
                c.writer().write(ascii("A".repeat(delivery())));
                awaitCondition(PATIENCE, () -> c.reader().buffered() == delivery(), c.reader()::toString);
                ByteBuffer stale = c.reader().readChunk(CHUNK);
                c.reader().readChunk(0); // the next read: the view is read past
                byte[] others = new byte[16 << 20]; // enough for the allocator to hand the stale view's memory out again
                Arrays.fill(others, (byte) 'B');
                Task<Void> writing = Tasks.spawn(() -> {
                    other.writer().write(others);
                    other.writer().drain();
                    other.writer().writeEof();
                    return null;
                });
                assertEquals(others.length, readAllLent(other.reader(), CHUNK).length);
                writing.await();
                String shown = text(bytes(stale));
                assertTrue(shown.chars().allMatch(b -> b == 'A'), "a stale view shows " + shown);
                assertTrue(!keepsDeliveredBuffers() || shown.isEmpty(),
                        "a view of the transport's own memory shows nothing once read past, not " + shown.length()
                                + " bytes of memory given back");
                c.writer().write(stale); // and writing it sends its own bytes or none
                c.writer().write(ascii("\n"));
                return text(c.reader().readLineBytes());
            } finally {
                server.close();
                server.awaitClosed();
                awaitNothingKept();
            }
        });
        assertTrue(sent.chars().allMatch(b -> b == 'A' || b == '\n'), "a stale view sent " + sent);
    }

    /**
     * A read-only direct buffer the writer does not know may be a view another loop's reader lent, whose memory goes
     * back at that reader's next read ({@link dev.weft.net.ReadLease#mayBeLent}): a transport that holds it past the
     * write holds a copy. Simulated here by changing the memory behind such a buffer while its write is pending.
     */
    @Test
    void aReadOnlyDirectBufferStillBeingWrittenIsSentAsItWasWhenWritten() {
        int size = 8 << 20; // more than the sockets hold: most of it waits in the transport
        byte[] got = withServer((reader, writer) -> {
            reader.readLineBytes();
            writer.write(reader.readExactly(size));
            reader.readAll();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            ByteBuffer memory = ByteBuffer.allocateDirect(size);
            memory.put(0, randomBytes(size, 17));
            c.writer().write(ascii("go\n"));
            c.writer().write(memory.asReadOnlyBuffer());
            memory.put(0, new byte[size]); // as a lending reader's next read gives the memory back
            c.writer().drain();
            return c.reader().readExactly(size);
        });
        assertArrayEquals(randomBytes(size, 17), got);
    }

    /**
     * Backpressure counts bytes, so a lending reader must not keep a large transport buffer for a few bytes: a peer
     * that trickles tiny segments would make it pin thousands of times what it counts. Tiny deliveries are copied.
     */
    @Test
    void tinyDeliveriesToALendingReaderAreCopiedNotKept() {
        withServer((reader, writer) -> {
            reader.readLineBytes();
            for (int i = 0; i < 50; i++) {
                writer.write(ascii("0123456789"));
                writer.drain();
            }
            reader.readAll();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            StreamReader reader = c.reader();
            reader.readChunk(0); // lending: what arrives would be kept
            c.writer().write(ascii("go\n"));
            awaitCondition(PATIENCE, () -> reader.buffered() == 500, reader::toString);
            assertEquals(0, kept(), "transport buffers kept for 500 bytes in tiny deliveries");
            assertEquals("0123456789".repeat(50), text(readAllLentUpTo(reader, 500)));
            return null;
        });
    }

    private static byte[] readAllLentUpTo(StreamReader reader, int size) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (all.size() < size) {
            all.writeBytes(bytes(reader.readChunk(CHUNK)));
        }
        return all.toByteArray();
    }

    /**
     * An echo that does not drain: each view is still being written (the client reads nothing until all is sent, so
     * the writes pile up) when the next read gives its buffer back. The writer kept what it needed: every byte arrives.
     */
    @Test
    void lentViewsStillBeingWrittenWhenTheReaderReadsOnArriveIntact() {
        byte[] payload = randomBytes(4 << 20, 19);
        byte[] echoed = withServer((reader, writer) -> {
            ByteBuffer chunk;
            while ((chunk = reader.readChunk(CHUNK)).hasRemaining()) {
                writer.write(chunk); // no drain: the write is pending at the next read
            }
            writer.drain();
            writer.writeEof();
        }, StreamReader.DEFAULT_LIMIT, c -> {
            c.writer().write(payload); // the server reads it all while its echo waits in its writer
            c.writer().drain();
            c.writer().writeEof();
            return readAllLent(c.reader(), CHUNK);
        });
        assertArrayEquals(payload, echoed);
    }

    /** A loop that closes while readers keep delivered buffers (the connections still open) gives every one back. */
    @Test
    void aClosingLoopGivesBackWhatItsReadersKept() {
        int keptAtClose = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> {
                reader.readLineBytes();
                writer.write(randomBytes(300_000, 1));
                reader.readAll(); // never ends: the loop's close cancels it
            }, LOCALHOST, 0);
            StreamConnection c = Streams.openConnection(LOCALHOST, server.port());
            c.reader().readChunk(0); // lending: what arrives is kept
            c.writer().write(ascii("go\n"));
            awaitCondition(PATIENCE, () -> c.reader().buffered() >= 100_000, c.reader()::toString);
            return kept();
        });
        assertEquals(!keepsDeliveredBuffers(), keptAtClose == 0, "buffers kept before the close: " + keptAtClose);
        loop.close();
        assertEquals(0, kept(), "buffers still kept after the loop closed");
    }

    private static byte[] bytes(ByteBuffer view) {
        byte[] copy = new byte[view.remaining()];
        view.get(view.position(), copy);
        return copy;
    }
}
