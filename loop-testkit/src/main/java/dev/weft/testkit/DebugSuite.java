package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.DebugMode;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.UnhandledError;
import dev.weft.net.DatagramOptions;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.Socket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Debug mode ({@link DebugMode}): slow steps named with where they were created, the watchdog's report of a blocked
 * loop with the blocking call, creation stacks on unretrieved failures, resources left open; and silence when off.
 * Thresholds are small (20 ms slow, 200 ms blocked) to keep the tests quick; warnings are awaited, never slept for.
 */
@Timeout(30)
public abstract class DebugSuite extends LoopSuite {
    private static final DebugMode QUICK = new DebugMode(Duration.ofMillis(20), Duration.ofMillis(200));
    private static final DebugMode NO_SLOW_STEPS = new DebugMode(Duration.ofHours(1), Duration.ofMillis(200));
    private static final String CREATED_HERE = "created at\n\tat " + DebugSuite.class.getName() + ".lambda$";
    private static final String OPENED_HERE = "opened at\n\tat " + DebugSuite.class.getName() + ".lambda$";

    /** Hold the loop this long without giving it up: a busy wait, since a carried task's sleep would yield it. */
    private static void hold(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** A callback that names itself, as a user's would. */
    private static Runnable named(String name, Runnable body) {
        return new Runnable() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** The loop as a warning names it: "the nio loop #3", its number as its {@code toString} shows it. */
    private static String loopName(EventLoop loop) {
        String text = loop.toString();
        return "the " + loop.backendName() + " loop " + text.substring(text.indexOf('#'), text.indexOf('['));
    }

    /** The debug watchdog's thread, if one runs. */
    private static Thread watchdog() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("weft-debug-watchdog"))
                .findFirst().orElse(null);
    }

    private static Predicate<LogRecord> warningWith(String text) {
        return r -> r.getLevel() == Level.WARNING && LogCapture.text(r).contains(text);
    }

    private static String awaitText(CompletableFuture<LogRecord> record) throws Exception {
        return LogCapture.text(record.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aSlowCallbackIsNamedWithWhereItWasScheduled() throws Exception {
        loop.setDebug(QUICK);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            var warned = logs.first(warningWith("the slow callback"));
            run(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(named("the slow callback", () -> {
                    hold(Duration.ofMillis(50));
                    done.setResult(null);
                }));
                return Async.await(done);
            });
            String text = awaitText(warned);
            assertTrue(text.contains("Handle[the slow callback] held " + loopName(loop) + " for "), text);
            assertTrue(text.contains("(slow step threshold 20 ms)"), text);
            assertTrue(text.contains(CREATED_HERE), "the first frame is the test's, where it was scheduled: " + text);
        }
    }

    @Test
    void aSlowTaskStepIsNamedWithWhereTheTaskWasCreated() throws Exception {
        loop.setDebug(QUICK);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            var warned = logs.first(warningWith("task 'hog'"));
            run(() -> Async.await(Tasks.spawn("hog", () -> hold(Duration.ofMillis(50)))));
            String text = awaitText(warned);
            assertTrue(text.contains("a step of task 'hog' held " + loopName(loop) + " for "), text);
            assertTrue(text.contains(CREATED_HERE), text);
        }
    }

    @Test
    void theWatchdogReportsABlockedLoopOnceWithTheBlockingCall() throws Exception {
        loop.setDebug(NO_SLOW_STEPS);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            var reported = logs.first(warningWith("has been blocked"));
            run(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(named("the blocking callback", () -> {
                    try {
                        reported.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // blocks the loop thread
                    } catch (Exception e) {
                        throw new AssertionError("no report of the blocked loop", e);
                    }
                    hold(QUICK.blocked()); // the watchdog looks again meanwhile: it must not report this step twice
                    done.setResult(null);
                }));
                return Async.await(done);
            });
            String text = awaitText(reported);
            assertTrue(text.contains("by Handle[the blocking callback] (blocked threshold 200 ms); it is at"), text);
            assertTrue(text.contains("java.util.concurrent.CompletableFuture.get("), "the blocking call: " + text);
            assertTrue(text.contains(DebugSuite.class.getName() + ".lambda$"), "the user's frame: " + text);
            assertFalse(text.contains("AbstractEventLoop.run"), "not the loop's own frames: " + text);
            assertEquals(1, logs.records(warningWith("has been blocked")).size(), "reported once per step");
        }
    }

    @Test
    void theWatchdogShowsTheTaskThatHoldsTheLoop() throws Exception {
        loop.setDebug(NO_SLOW_STEPS);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            var reported = logs.first(warningWith("has been blocked"));
            run(() -> Async.await(Tasks.spawn("spinner", () -> {
                while (!reported.isDone()) {
                    Thread.onSpinWait(); // holds the loop: a busy task never awaits
                }
            })));
            String text = awaitText(reported);
            assertTrue(text.contains("by a step of task 'spinner' (blocked threshold 200 ms); it is at"), text);
            assertTrue(text.contains("\tat " + DebugSuite.class.getName() + ".lambda$"), "the task's stack: " + text);
            assertFalse(text.contains("AbstractEventLoop"), "not the loop thread's stack: " + text);
            assertTrue(text.contains(CREATED_HERE), text);
        }
    }

    @Test
    void slowStepsAndBlockedLoopsAreJfrEventsToo() throws Exception {
        loop.setDebug(QUICK);
        Path file = Files.createTempFile("weft-debug", ".jfr");
        try (LogCapture logs = LogCapture.of("dev.weft.debug"); Recording recording = new Recording()) {
            recording.enable("dev.weft.SlowStep");
            recording.enable("dev.weft.BlockedLoop");
            recording.start();
            var reported = logs.first(warningWith("has been blocked"));
            run(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(named("the blocking callback", () -> {
                    while (!reported.isDone()) {
                        Thread.onSpinWait(); // holds the loop until the watchdog has reported it
                    }
                    done.setResult(null);
                }));
                return Async.await(done);
            });
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            RecordedEvent slow = events.stream().filter(e -> e.getEventType().getName().equals("dev.weft.SlowStep"))
                    .findFirst().orElseThrow(() -> new AssertionError("no SlowStep event: " + events));
            assertEquals("Handle[the blocking callback]", slow.getString("step"));
            assertTrue(slow.getDuration("held").compareTo(QUICK.blocked()) >= 0, slow.toString());
            RecordedEvent blocked = events.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.weft.BlockedLoop"))
                    .findFirst().orElseThrow(() -> new AssertionError("no BlockedLoop event: " + events));
            assertEquals("Handle[the blocking callback]", blocked.getString("step"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void nothingIsReportedWhenOff() throws Exception {
        if (!Boolean.getBoolean(DebugMode.PROPERTY)) {
            assertNull(loop.debugMode(), "off by default");
        }
        loop.setDebug(null); // and turned off, under -Dweft.debug=true
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            run(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(() -> {
                    hold(Duration.ofMillis(120)); // beyond the default slow-step threshold of 100 ms
                    done.setResult(null);
                });
                Async.await(done);
                Tasks.spawn("failing", () -> {
                    throw new IllegalStateException("boom");
                });
                return null;
            });
            List<UnhandledError> errors = takeUnhandled();
            assertEquals(1, errors.size(), errors.toString());
            assertFalse(errors.getFirst().message().contains("created at"), errors.getFirst().message());
            assertEquals(List.of(), logs.records(r -> true), "no debug record");
        }
    }

    @Test
    void anUnretrievedFailureSaysWhereTheTaskWasCreated() {
        loop.setDebug(QUICK);
        run(() -> {
            Task<Void> failing = Tasks.spawn("failing", () -> {
                throw new IllegalStateException("boom");
            });
            while (!failing.isDone()) {
                Async.sleep(Duration.ZERO);
            }
            return null;
        });
        List<UnhandledError> errors = takeUnhandled();
        assertEquals(1, errors.size(), errors.toString());
        String message = errors.getFirst().message();
        assertTrue(message.startsWith("task 'failing' failed and nobody retrieved its exception, created at"),
                message);
        assertTrue(message.contains(CREATED_HERE), message);
    }

    @Test
    void anUnretrievedFutureFailureSaysWhereTheFutureWasCreated() {
        loop.setDebug(QUICK);
        run(() -> {
            Future<Void> future = loop.createFuture();
            future.setException(new IllegalStateException("boom"));
            return null;
        });
        List<UnhandledError> errors = takeUnhandled();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.getFirst().message().contains(CREATED_HERE), errors.getFirst().message());
    }

    @Test
    void aConnectionAndAServerLeftOpenAreReportedWithWhereTheyWereOpened() throws Exception {
        loop.setDebug(QUICK);
        // A peer that never answers nor closes (the kernel accepts for it), so only our side can end the connection.
        try (LogCapture logs = LogCapture.of("dev.weft.debug");
             ServerSocket peer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            run(() -> {
                Streams.openConnection("127.0.0.1", peer.getLocalPort());
                Streams.startServer((reader, writer) -> reader.read(1), "127.0.0.1", 0);
                return null; // neither closed
            }); // the loop closes here, and warns of what was left open
            List<String> warnings = logs.records(warningWith("was still open when its loop closed")).stream()
                    .map(LogCapture::text).toList();
            // A connection is made by the loop's I/O when the connect completes: its addresses tell which it is.
            String toPeer = ":" + peer.getLocalPort() + " was still open";
            assertTrue(warnings.stream().anyMatch(w -> w.contains("transport ") && w.contains(toPeer)),
                    "the client's connection to the peer: " + warnings);
            assertTrue(warnings.stream().anyMatch(w -> w.contains("stream server") && w.contains(OPENED_HERE)),
                    "the server, started here: " + warnings);
        }
        takeUnhandled(); // what the loop's close did to the connections left open is not this test's subject
    }

    @Test
    void closedResourcesAreNotReported() throws Exception {
        loop.setDebug(QUICK);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            run(() -> {
                try (StreamServer listening = Streams.startServer((reader, writer) -> reader.read(1), "127.0.0.1", 0);
                     StreamConnection connection = Streams.openConnection("127.0.0.1", listening.port())) {
                    connection.writer().write(new byte[] {1});
                    connection.writer().drain();
                    listening.closeGracefully(PATIENCE);
                }
                return null;
            });
            assertEquals(List.of(), logs.records(warningWith("was still open")).stream().map(LogCapture::text).toList());
        }
    }

    @Test
    void theWatchdogNamesTheBlockedLoopAmongSeveral() throws Exception {
        EventLoop idle = openLoop(); // watched too, never blocked
        idle.setDebug(NO_SLOW_STEPS);
        loop.setDebug(NO_SLOW_STEPS);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            var reported = logs.first(warningWith("has been blocked"));
            run(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(named("the blocking callback", () -> {
                    while (!reported.isDone()) {
                        Thread.onSpinWait();
                    }
                    done.setResult(null);
                }));
                return Async.await(done);
            });
            String text = awaitText(reported);
            assertTrue(text.startsWith("weft debug: " + loopName(loop) + " has been blocked for "),
                    "the blocked loop, not " + loopName(idle) + ": " + text);
            assertEquals(1, logs.records(warningWith("has been blocked")).size(), logs.records(r -> true).toString());
        }
    }

    @Test
    void theWatchdogThreadEndsWhenNoLoopIsInDebugMode() throws Exception {
        assumeFalse(Boolean.getBoolean(DebugMode.PROPERTY), "under -Dweft.debug=true other loops may be watched");
        loop.setDebug(QUICK);
        Thread first = watchdog();
        assertNotNull(first, "a loop in debug mode is watched");
        loop.setDebug(null);
        first.join(PATIENCE);
        assertFalse(first.isAlive(), "the watchdog outlived the last loop in debug mode");
        EventLoop other = openLoop();
        other.setDebug(QUICK);
        Thread second = watchdog();
        assertNotNull(second, "a loop turning debug mode on again is watched again");
        other.close(); // a loop that closes in debug mode is no longer watched
        second.join(PATIENCE);
        assertFalse(second.isAlive(), "the watchdog outlived the last loop in debug mode, closed");
    }

    @Test
    void setDebugFromAnotherThreadWhileTheLoopRunsIsRefused() {
        DebugMode before = loop.debugMode();
        Throwable refused = run(() -> {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    loop.setDebug(QUICK);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            Throwable outcomeOfSetDebug = Async.await(outcome);
            assertEquals(before, loop.debugMode(), "unchanged");
            return outcomeOfSetDebug;
        });
        assertInstanceOf(WrongThreadException.class, refused);
        assertTrue(refused.getMessage().contains("may only be used from it"), refused.getMessage());
    }

    @Test
    void setDebugOnAClosedLoopIsRefused() {
        EventLoop closed = openLoop();
        closed.close();
        LoopClosedException refused = assertThrows(LoopClosedException.class, () -> closed.setDebug(QUICK));
        assertTrue(refused.getMessage().contains("is closed"), refused.getMessage());
    }

    @Test
    void aConnectionThePeerResetIsNotReported() throws Exception {
        loop.setDebug(QUICK);
        // A peer that resets the connection once it has read a byte: ours is lost, not left open, though never closed.
        try (LogCapture logs = LogCapture.of("dev.weft.debug");
             ServerSocket peer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread resetter = Thread.ofPlatform().start(() -> {
                try (Socket accepted = peer.accept()) {
                    accepted.getInputStream().read();
                    accepted.setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            run(() -> {
                StreamConnection connection = Streams.openConnection("127.0.0.1", peer.getLocalPort());
                connection.writer().write(new byte[] {1});
                assertThrows(BrokenResourceException.class, () -> connection.reader().read(1));
                return null;
            });
            resetter.join(PATIENCE);
            assertEquals(List.of(), logs.records(warningWith("weft debug")).stream().map(LogCapture::text).toList());
        }
    }

    @Test
    void newThresholdsKeepWhatWasOpenedAndMadeBefore() throws Exception {
        loop.setDebug(QUICK);
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            run(() -> {
                Streams.startServer((reader, writer) -> reader.read(1), "127.0.0.1", 0); // never closed
                Future<Void> future = loop.createFuture();
                loop.setDebug(NO_SLOW_STEPS);
                future.setException(new IllegalStateException("boom")); // never retrieved
                return null;
            });
            List<UnhandledError> errors = takeUnhandled();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.getFirst().message().contains(CREATED_HERE), errors.getFirst().message());
            assertTrue(logs.records(warningWith("stream server was still open")).stream().map(LogCapture::text)
                    .anyMatch(w -> w.contains(OPENED_HERE)), logs.records(r -> true).toString());
        }
    }

    @Test
    void aConnectionThatNeverConnectedIsNotReported() throws Exception {
        loop.setDebug(QUICK);
        int refusing;
        try (ServerSocket closedAtOnce = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = closedAtOnce.getLocalPort(); // nothing listens there once it is closed: connects are refused
        }
        try (LogCapture logs = LogCapture.of("dev.weft.debug")) {
            run(() -> assertThrows(IOException.class, () -> Streams.openConnection("127.0.0.1", refusing)));
            assertEquals(List.of(), logs.records(warningWith("was still open").or(warningWith("became garbage"))).stream().map(LogCapture::text).toList());
        }
    }

    @Test
    void anEndpointThatNeverBoundIsNotReported() throws Exception {
        loop.setDebug(QUICK);
        try (LogCapture logs = LogCapture.of("dev.weft.debug");
             DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            SocketAddress takenAddress = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            Throwable failed = run(() -> assertThrows(CompletionException.class, () -> Async.await(
                    ((NetworkLoop) loop).openDatagram(takenAddress, null, (data, from) -> { }, DatagramOptions.DEFAULTS))));
            assertInstanceOf(BindException.class, failed.getCause());
            assertEquals(List.of(), logs.records(warningWith("was still open").or(warningWith("became garbage")))
                    .stream().map(LogCapture::text).toList());
        }
    }
}
