package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Resource exhaustion: peers that send and never read must not make a streams-mode server hold more memory per
 * connection than its documented bounds, however much they send. A stalled connection holds its stream reader's bytes,
 * in an array of their size from when it paused (at most twice the limit plus one read of the transport, see
 * {@link StreamReader}), and its write buffer (the high water mark plus a chunk of unsent bytes, and the part of the
 * buffer being sent that went out already, see {@link StreamWriter}), and nothing else of size. The heap is measured
 * with a full GC (a class histogram), not by timing. Once the peers read, every byte comes back, and so does the
 * memory.
 */
public abstract class StalledReaderSuite extends LoopSuite {
    private static final int CLIENTS = 20;
    private static final int SINGLE_ROUNDS = 6;
    /**
     * The echo's read size, the chunk of the write-side bound. It does not divide the transports' reads (64 or 256
     * KiB), as a line's or a frame's length would not: a stalled reader is then left with part of a read.
     */
    private static final int CHUNK = 48 * 1024;
    /** The largest read any backend here delivers at once: nio's read buffer and vthreads' largest read. */
    private static final int LARGEST_DELIVERY = 256 * 1024;
    private static final long READ_BOUND = 2L * StreamReader.DEFAULT_LIMIT + LARGEST_DELIVERY;
    private static final long WRITE_BOUND = StreamTransport.DEFAULT_HIGH_WATER + 2L * CHUNK;
    /**
     * What a connection holds besides its buffers: transport, protocol, reader, writer, the handler's task and its
     * stack, the test's client socket, on epoll and io_uring Netty's channel and pipeline. Measured at 7 KiB on nio
     * and 12 KiB on vthreads (from a heap dump: everything but the buffers' arrays); the margin leaves room for what
     * a loop or a JDK version adds, and is small next to the room to spare that buffers used to keep: a reader's
     * array doubled as it grew (512 KiB or 1 MiB for 200-450 KiB of bytes), sent buffers a vthreads writer kept.
     */
    private static final long PER_CONNECTION_MARGIN = 32 * 1024;
    /**
     * The margin of the stricter check, heap against the bytes the buffers held at the stall: wider, since the bytes
     * are read a moment after the histogram and a task or a delivery under way then is not in them (seen in full runs:
     * 18 KiB over the 32 KiB margin on vthreads in baton mode). Room to spare in a buffer is 100 KiB and more.
     */
    private static final long ACCOUNTING_MARGIN = 64 * 1024;
    /**
     * What may stay once the twenty connections have closed: a leak of even a chunk each would leave almost 1 MiB,
     * while a round leaves some KiB of the test's own (its thread, its records) and, in some round or other, what the
     * JVM loads once and keeps (the central directory of a jar it opens for a class, seen at 200 KiB).
     */
    private static final long LEFT_AFTER_A_ROUND = 320 * 1024;

    // On the loop only, as the handlers and the test's task.
    private final List<StreamReader> readers = new ArrayList<>();
    private final List<StreamWriter> writers = new ArrayList<>();
    private final Set<StreamWriter> draining = new HashSet<>(); // the writers whose handler waits in drain()
    /** Per reader: what its handler read while it stayed paused; its array keeps that room, as of its pause. */
    private final Map<StreamReader, Long> readWhilePaused = new HashMap<>();

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    /**
     * Twenty clients stall together and what they cost is averaged; then single clients stall one at a time, so that
     * each connection's memory is also measured on its own: the average lets connections that happened to stall with
     * little buffered hide one that holds too much.
     */
    @Test
    void clientsThatNeverReadCostAtMostTheBuffersBoundsEachAndGetEveryByteBackWhenTheyRead() {
        List<Stalled> rounds = run(() -> {
            List<Stalled> first = stallInRounds();
            // A second run where the first held more heap than its buffers' bytes (the stricter check below): a buffer
            // that keeps room to spare does so in every run, while the JVM's own allocation between two histograms
            // does not (seen once in CI on io_uring: all three single rounds 150-200 KiB over, in a build whose same
            // test then passed ten times in a row). Every check applies to the run that is kept.
            return withinTolerance(overAccounted(first)) ? first : stallInRounds();
        });
        for (Stalled round : rounds) {
            assertTrue(round.sent() > round.clients() * (READ_BOUND + WRITE_BOUND), "the clients sent more than "
                    + "the bounds hold: " + round);
            assertTrue(round.largestRead() <= READ_BOUND, "a stalled reader holds " + round.largestRead()
                    + " bytes, past twice its limit plus one read (" + READ_BOUND + "); " + round);
            assertTrue(round.largestWrite() <= StreamTransport.DEFAULT_HIGH_WATER + CHUNK, "a stalled write buffer "
                    + "holds " + round.largestWrite() + " bytes, past the high water mark plus one chunk; " + round);
            assertTrue(round.heldEach() <= READ_BOUND + WRITE_BOUND + PER_CONNECTION_MARGIN, "a stalled connection "
                    + "holds more heap than its buffers' bounds, " + READ_BOUND / 1024 + " KiB read side and "
                    + WRITE_BOUND / 1024 + " KiB write side, and " + PER_CONNECTION_MARGIN / 1024 + " KiB; " + round);
        }
        // The stricter check, heap against the bytes the buffers held: every round but one single-connection round
        // must pass it. A buffer that keeps room to spare does so in every round; one connection measured alone has
        // no others to average a moment's allocation with (seen once in 24 idle runs on io_uring: 119 KiB over its
        // 96 KiB of buffers, every other round within the margin).
        List<Stalled> overAccounted = overAccounted(rounds);
        assertTrue(withinTolerance(overAccounted),
                "a stalled connection holds more heap than its buffers' bytes (with the reader's room as of its "
                        + "pause), the sent part of one chunk and " + ACCOUNTING_MARGIN / 1024 + " KiB: buffers keep "
                        + "room to spare; " + overAccounted);
        Stalled twenty = rounds.getFirst();
        assertTrue(twenty.left() <= LEFT_AFTER_A_ROUND, "once the connections closed their memory came back; still "
                + "held: " + twenty.left() / 1024 + " KiB; " + twenty);
    }

    /**
     * One round: its clients, what they sent, the heap before it, then (beyond that) at the stall and once every
     * connection had closed, and at the stall what the buffers held: in all, and the fullest reader and write buffer.
     */
    private record Stalled(int clients, long sent, long baseline, long heap, long accounted, long largestRead,
                           long largestWrite, long left) {
        /**
         * The heap a stalled connection held and gave back: what the JVM loaded during the round and keeps (a class's
         * jar, its central directory 200 KiB) is in both the heap at the stall and what is left.
         */
        long heldEach() {
            return (heap - Math.max(0, left)) / clients;
        }

        /** What a connection's buffers held: the bytes and the reader's room as of its pause. */
        long accountedEach() {
            return accounted / clients;
        }

        @Override
        public String toString() {
            return clients + " stalled: " + heldEach() / 1024 + " KiB of heap each for " + accountedEach() / 1024
                    + " KiB in the buffers, readers up to " + largestRead / 1024 + " KiB, write buffers up to "
                    + largestWrite / 1024 + " KiB, " + (sent >> 20) + " MiB sent, " + left / 1024 + " KiB left after";
        }
    }

    /** Stall twenty clients together, then single ones in turn: each round's figures. In a task of the loop. */
    private List<Stalled> stallInRounds() throws Exception {
        StreamServer server = Streams.startServer(this::echo, LOCALHOST, 0);
        int port = server.port();
        // One stalled client first, not measured: what the first connections create once (classes, the JDK's
        // and Netty's caches and buffer pools) is then in every round's baseline.
        stallAndRelease(server, port, 1, LiveHeap.bytes());
        List<Stalled> measured = new ArrayList<>();
        measured.add(stallAndRelease(server, port, CLIENTS, LiveHeap.bytes()));
        for (int i = 0; i < SINGLE_ROUNDS; i++) {
            // A round ends as the next begins (its handlers ended): what it left is the next one's baseline.
            Stalled previous = measured.getLast();
            measured.add(stallAndRelease(server, port, 1, previous.baseline() + previous.left()));
        }
        server.close();
        server.awaitClosed();
        return measured;
    }

    /** The rounds whose heap exceeds what their buffers held by more than the sent part of a chunk and a margin. */
    private static List<Stalled> overAccounted(List<Stalled> rounds) {
        return rounds.stream()
                .filter(round -> round.heldEach() > round.accountedEach() + CHUNK + ACCOUNTING_MARGIN).toList();
    }

    /** None over, or one single-connection round (see the test). */
    private static boolean withinTolerance(List<Stalled> overAccounted) {
        return overAccounted.isEmpty() || overAccounted.size() == 1 && overAccounted.getFirst().clients() == 1;
    }

    /**
     * Connect the clients, wait until every connection is stalled, take the heap and the buffers' sizes, let the
     * clients read their echoes to the end (they check every byte), and wait until every handler has ended.
     */
    private Stalled stallAndRelease(StreamServer server, int port, int count, long baseline) throws Exception {
        StalledClients clients = new StalledClients(LOCALHOST, port, count);
        ForeignThread<long[]> running = onForeignThread(clients::run);
        long heap;
        long accounted = 0;
        long largestRead;
        long largestWrite;
        try {
            awaitCondition(count + " connections to stall", () -> {
                if (running.result().isCompletedExceptionally()) {
                    running.result().join(); // the clients failed: say why
                }
                return writers.size() == count && draining.containsAll(writers)
                        && writers.stream().noneMatch(w -> w.transport().isReading());
            });
            heap = settledHeap() - baseline;
            // What the buffers hold, at the stall: once the clients read, the vthreads backend's writer threads
            // empty the write buffers at once, beside the loop (a run under load counted 0 KiB here).
            for (StreamReader reader : readers) {
                accounted += reader.buffered() + readWhilePaused.getOrDefault(reader, 0L);
            }
            for (StreamWriter writer : writers) {
                accounted += writer.transport().writeBufferSize();
            }
            largestRead = readers.stream().mapToLong(StreamReader::buffered).max().orElse(0);
            largestWrite = writers.stream().mapToLong(w -> w.transport().writeBufferSize()).max().orElse(0);
        } finally {
            clients.startReading();
        }
        long sent = LongStream.of(Async.await(running.result())).sum();
        readers.clear(); // the test's own references to the connections
        writers.clear();
        readWhilePaused.clear();
        awaitCondition("every handler to end", () -> server.connectionCount() == 0);
        long left = LiveHeap.bytes() - baseline;
        return new Stalled(count, sent, baseline, heap, accounted, largestRead, largestWrite, left);
    }

    /**
     * The echo-server sample's handler, telling the test when it waits in drain(), and how much it read from its
     * reader while the reader stayed paused: a read that finds it paused and leaves it paused takes bytes out of the
     * array the reader fitted when it paused, which keeps their room until reading resumes.
     */
    private void echo(StreamReader reader, StreamWriter writer) throws IOException {
        readers.add(reader);
        writers.add(writer);
        StreamTransport transport = writer.transport();
        while (true) {
            boolean pausedBefore = !transport.isReading();
            int echoed = echoOneChunk(reader, writer);
            if (echoed == 0) {
                return;
            }
            boolean stillPaused = pausedBefore && !transport.isReading();
            readWhilePaused.merge(reader, (long) echoed, (was, more) -> stillPaused ? was + more : 0L);
            if (transport.writeBufferSize() > StreamTransport.DEFAULT_HIGH_WATER) {
                draining.add(writer);
            }
            writer.drain();
            draining.remove(writer);
        }
    }

    /**
     * Echo one chunk, as the echo-server sample does: the chunk read is the handler's own, so it is handed over whole
     * rather than copied, and no variable keeps it while the handler drains. Returns its length; 0 at the end.
     */
    private static int echoOneChunk(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] chunk = reader.read(CHUNK);
        if (chunk.length > 0) {
            writer.write(ByteBuffer.wrap(chunk));
        }
        return chunk.length;
    }

    /**
     * Neither a stall (every handler waits in drain() and every reader has paused its transport: from then on the
     * server holds what it holds until the clients read) nor a handler's end has an event of its own to await, so
     * this looks once a millisecond.
     */
    private void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                StringBuilder state = new StringBuilder();
                for (int i = 0; i < writers.size(); i++) {
                    StreamWriter writer = writers.get(i);
                    if (!draining.contains(writer) || writer.transport().isReading()) {
                        state.append("; #").append(i).append(draining.contains(writer) ? " drains" : " not in drain")
                                .append(", ").append(readers.get(i)).append(", ").append(writer.transport());
                    }
                }
                fail("waited " + PATIENCE + " for " + what + ": " + writers.size() + " connections, "
                        + draining.size() + " waiting in drain, "
                        + writers.stream().filter(w -> !w.transport().isReading()).count() + " with reading paused"
                        + state);
            }
            Async.sleep(Duration.ofMillis(1));
        }
    }

    /**
     * The live heap ({@link LiveHeap}) once what is in flight has landed: the smaller of two histograms, the loop given a turn
     * between them. A histogram taken while a delivery or a woken task is under way counts what is about to be let
     * go (seen once in eight full runs on io_uring: 300 KiB a connection more than its buffers held); what a stalled
     * connection keeps is there in both.
     */
    private static long settledHeap() {
        long heap = LiveHeap.bytes();
        Async.sleep(java.time.Duration.ofMillis(20));
        return Math.min(heap, LiveHeap.bytes());
    }
}
