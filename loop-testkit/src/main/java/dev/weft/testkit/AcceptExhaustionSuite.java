package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.Server;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.Streams;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server where accepting is hard: the process out of file descriptors, and peers that reset a connection as soon as
 * it is made. The first is not a program error and no cause for alarm either: the server backs off, the loop stays
 * near idle, a handful of WARNING lines say so (no stack trace), and a connection that waited in the kernel's queue
 * is served once descriptors are back. The second still names its peer: every accepted connection knows its remote
 * address, and no record speaks of a "null" or "(unbound)" peer.
 */
public abstract class AcceptExhaustionSuite extends AbstractTransportSuite {
    /** How long the loop is watched while it cannot accept. */
    private static final Duration WINDOW = Duration.ofMillis(1500);
    /** The share of the window the loop thread may spend on the CPU: a back-off costs next to nothing. */
    private static final double MOST_CPU = 0.2;
    /**
     * The share of one core the whole process may use meanwhile: an acceptor spinning on a thread of its own (vthreads)
     * takes a whole core; the margin is for the JIT and GC threads, which may run now and then.
     */
    private static final double MOST_PROCESS_CPU = 0.5;
    /** A lasting condition costs a handful of records, not one per attempt. */
    private static final int MOST_RECORDS = 2;
    private static final int RESETS = 200;
    private static final String MARKER = "last\n";

    @Test
    void outOfFileDescriptorsAServerBacksOffQuietlyThenServesTheConnectionThatWaited() throws Exception {
        assumeTrue(DescriptorExhaustion.isSupported(), DescriptorExhaustion.UNSUPPORTED);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "this JVM cannot measure a thread's CPU time");
        threads.setThreadCpuTimeEnabled(true);
        long loopThread = Thread.currentThread().threadId(); // run() runs the loop on this thread
        try (LogCapture logs = LogCapture.of("dev.weft")) {
            Starved starved = run(() -> {
                Server server = listen(EchoProtocol::new);
                SocketAddress address = server.addresses().getFirst();
                SocketChannel waiting = SocketChannel.open(); // its descriptor is taken before they run out
                CompletableFuture<Void> connectNow = new CompletableFuture<>();
                // A platform thread: a virtual one would need the JDK's poller, which may not exist yet.
                ForeignThread<String> peer = onForeignThread(() -> echoOnce(waiting, address, connectNow));
                CompletableFuture<LogRecord> firstFailure = logs.first(AcceptExhaustionSuite::isAcceptFailure);
                Starved seen;
                try (DescriptorExhaustion exhausted = DescriptorExhaustion.exhaust()) {
                    connectNow.complete(null);
                    LogRecord first = awaitFirst(firstFailure, exhausted);
                    long cpuBefore = threads.getThreadCpuTime(loopThread);
                    long processBefore = processCpuNanos();
                    long start = loop.time();
                    Async.sleep(WINDOW);
                    seen = new Starved(first, threads.getThreadCpuTime(loopThread) - cpuBefore,
                            processCpuNanos() - processBefore, loop.time() - start, null);
                } finally {
                    connectNow.complete(null); // should exhausting fail, the peer still ends
                }
                String answer = Async.await(peer.result());
                server.close();
                server.closed().await();
                return new Starved(seen.first, seen.cpuNanos, seen.processCpuNanos, seen.windowNanos, answer);
            });
            assertEquals(Level.WARNING, starved.first.getLevel(), LogCapture.text(starved.first));
            assertNull(starved.first.getThrown(), "a lasting condition, not a program error: no stack trace");
            assertTrue(LogCapture.text(starved.first).contains("accepting again in"), LogCapture.text(starved.first));
            double share = (double) starved.cpuNanos / starved.windowNanos;
            assertTrue(share < MOST_CPU, String.format("the loop thread was on the CPU for %.0f%% of %d ms while it "
                    + "could not accept; a server that backs off leaves it idle", share * 100, WINDOW.toMillis()));
            double processShare = (double) starved.processCpuNanos / starved.windowNanos;
            assertTrue(processShare < MOST_PROCESS_CPU, String.format("the process used %.0f%% of a core for %d ms "
                    + "while it could not accept: something spins", processShare * 100, WINDOW.toMillis()));
            List<String> failures = logs.records(AcceptExhaustionSuite::isAcceptFailure).stream()
                    .map(LogCapture::text).toList();
            assertTrue(failures.size() <= MOST_RECORDS, failures.size() + " records of the accept failure: "
                    + failures.subList(0, Math.min(5, failures.size())));
            assertEquals("still there?", starved.answer, "the connection that waited is served once descriptors "
                    + "are back");
        }
    }

    /** What the loop did while it could not accept, and what the waiting peer got back after. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private record Starved(LogRecord first, long cpuNanos, long processCpuNanos, long windowNanos, String answer) {
    }

    private static boolean isAcceptFailure(LogRecord record) {
        return LogCapture.text(record).contains("accept failed");
    }

    /** The first accept failure's record, or a failure that says nothing was logged. In a task. */
    private static LogRecord awaitFirst(CompletableFuture<LogRecord> first, DescriptorExhaustion exhausted) {
        try {
            return Async.await(first.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (RuntimeException e) {
            throw new AssertionError("with " + exhausted.held() + " descriptors taken and a client waiting, the "
                    + "server logged no \"accept failed\" record within " + PATIENCE.toMillis() + " ms (was it told to "
                    + "the loop's exception handler instead?)", e);
        }
    }

    /** The peer that waits in the kernel's queue: connect when told, send a line, read its echo. */
    private static String echoOnce(SocketChannel channel, SocketAddress address, CompletableFuture<Void> connectNow)
            throws Exception {
        try (channel) {
            connectNow.get();
            channel.connect(address); // the kernel completes the handshake; the server cannot take it yet
            channel.write(ByteBuffer.wrap("still there?".getBytes(StandardCharsets.US_ASCII)));
            channel.socket().setSoTimeout((int) (PATIENCE.toMillis() * 2));
            byte[] answer = channel.socket().getInputStream().readNBytes("still there?".length());
            return new String(answer, StandardCharsets.US_ASCII);
        }
    }

    // ---- peers that reset at once

    @Test
    void aPeerThatResetsAtOnceIsStillNamedByItsTransport() {
        Accepted<PeerRecorder> accepted = new Accepted<>(PeerRecorder::new);
        try (LogCapture logs = LogCapture.of("dev.weft")) {
            List<PeerRecorder> reset = run(() -> {
                Server server = listen(accepted);
                SocketAddress address = server.addresses().getFirst();
                Async.await(onForeignThread(() -> resetStorm(address)).result());
                // Connections are taken in the order the kernel queued them: once this one is served, so is the storm.
                RecordingProtocol last = new RecordingProtocol();
                StreamTransport lastTransport = connect(server, last);
                lastTransport.write(utf8(MARKER));
                last.received(MARKER.length()).await();
                List<PeerRecorder> storm = new ArrayList<>(accepted.all());
                storm.removeLast(); // the marker's
                for (PeerRecorder each : storm) {
                    each.lost().await();
                }
                lastTransport.close();
                server.close();
                server.closed().await();
                return storm;
            });
            assertTrue(reset.size() >= RESETS / 2, "only " + reset.size() + " of " + RESETS + " reset connections "
                    + "were accepted");
            for (PeerRecorder each : reset) {
                assertIsTheClient(each.peer, "remoteAddress() in connectionMade");
                Throwable cause = each.lost().result();
                if (cause != null) {
                    assertNamesNoNullPeer(cause.getMessage(), "connectionLost's cause");
                }
            }
            assertNoRecordNamesANullPeer(logs);
        }
    }

    @Test
    void aPeerThatResetsAtOnceIsStillNamedToItsStreamHandler() {
        List<SocketAddress> peers = new CopyOnWriteArrayList<>();
        List<String> said = new CopyOnWriteArrayList<>(); // task names and the errors handlers saw
        try (LogCapture logs = LogCapture.of("dev.weft")) {
            run(() -> {
                StreamServer server = Streams.startServer((reader, writer) -> {
                    peers.add(writer.remoteAddress());
                    said.add(Tasks.current().map(Task::name).orElse("no task"));
                    try {
                        writer.write(reader.readLineBytes()); // the marker's echo; a reset connection reads nothing
                    } catch (BrokenResourceException e) {
                        said.add(e.getMessage());
                    }
                }, "127.0.0.1", 0);
                SocketAddress address = server.addresses().getFirst();
                Async.await(onForeignThread(() -> resetStorm(address)).result());
                try (StreamConnection last = Streams.openConnection("127.0.0.1", server.port())) {
                    last.writer().write(MARKER.getBytes(StandardCharsets.US_ASCII));
                    assertEquals(MARKER, new String(last.reader().readLineBytes(), StandardCharsets.US_ASCII));
                }
                server.closeGracefully(PATIENCE);
                return null;
            });
            assertTrue(peers.size() > RESETS / 2, "only " + peers.size() + " of " + RESETS + " reset connections "
                    + "reached a handler");
            for (SocketAddress peer : peers) {
                assertIsTheClient(peer, "the handler's writer.remoteAddress()");
            }
            for (String text : said) {
                assertNamesNoNullPeer(text, "a handler's task name or error");
            }
            assertNoRecordNamesANullPeer(logs);
        }
    }

    /** A server-side protocol that notes its transport's remote address when the connection is made. */
    private static final class PeerRecorder extends EchoProtocol {
        SocketAddress peer;

        @Override
        public void connectionMade(StreamTransport transport) {
            peer = transport.remoteAddress();
            super.connectionMade(transport);
        }
    }

    /** Connect and reset at once (SO_LINGER 0, then close: an RST instead of a FIN), again and again. */
    private static Void resetStorm(SocketAddress address) throws IOException {
        for (int i = 0; i < RESETS; i++) {
            try (SocketChannel peer = SocketChannel.open(address)) {
                peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        }
        return null;
    }

    private static void assertIsTheClient(SocketAddress peer, String what) {
        if (!(peer instanceof InetSocketAddress inet) || !inet.getAddress().isLoopbackAddress() || inet.getPort() == 0) {
            fail(what + " is " + peer + ", not the client's 127.0.0.1 address and port");
        }
    }

    private static void assertNamesNoNullPeer(String text, String what) {
        if (text != null && (text.contains("(unbound)") || text.contains(" null"))) {
            fail(what + " names no peer: " + text);
        }
    }

    private static void assertNoRecordNamesANullPeer(LogCapture logs) {
        for (LogRecord record : logs.records(record -> true)) {
            assertNamesNoNullPeer(LogCapture.text(record), "a " + record.getLevel() + " record");
            for (Throwable cause = record.getThrown(); cause != null; cause = cause.getCause()) {
                assertNamesNoNullPeer(cause.getMessage(), "the error of a " + record.getLevel() + " record");
            }
        }
    }
}
