package dev.weft.testkit;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.UnhandledError;
import dev.weft.loop.BusyResourceException;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.sync.Barrier;
import dev.weft.sync.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * StreamServer: a task per connection, a failing handler that harms only its own connection, closing gracefully,
 * serveForever, and many connections on one loop.
 */
public abstract class StreamServerSuite extends LoopSuite {

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    /** Read the rest of a stream whose peer went away: the end, or a broken connection. Either way, no hang. */
    private static String readToTheEnd(StreamReader reader) throws IOException {
        try {
            return text(reader.readAll());
        } catch (BrokenResourceException e) {
            return "";
        }
    }

    @Test
    void aGracefulCloseLetsAHandlerFinishThenCancelsTheRest() {
        Steps steps = new Steps();
        Barrier bothServed = new Barrier(3); // the two handlers and the test
        ConnectionHandler handler = (reader, writer) -> {
            String hello = text(reader.readLineBytes());
            bothServed.await();
            if (hello.equals("finisher\n")) {
                String request = text(reader.readLineBytes()); // arrives after closeGracefully has begun
                writer.write(ascii("bye after " + request));
                steps.expect(3);
            } else {
                try {
                    reader.readLineBytes(); // never arrives
                } catch (CancellationException e) {
                    steps.expect(4);
                    throw e;
                }
            }
        };
        List<String> seen = run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            int port = server.port();
            try (StreamConnection finisher = Streams.openConnection(LOCALHOST, port);
                 StreamConnection idler = Streams.openConnection(LOCALHOST, port)) {
                finisher.writer().write(ascii("finisher\n"));
                idler.writer().write(ascii("idler\n"));
                bothServed.await();
                assertEquals(2, server.connectionCount());
                Task<Void> closing = Tasks.spawn(() -> {
                    steps.expect(1);
                    server.closeGracefully(Duration.ofSeconds(1));
                    steps.expect(5);
                    return null;
                });
                Tasks.spawn(() -> null).await(); // let the closing task begin
                steps.expect(2);
                assertFalse(server.isServing(), "closeGracefully stops accepting at once");
                finisher.writer().write(ascii("work\n"));
                String answer = text(finisher.reader().readAll());
                String idlerGot = readToTheEnd(idler.reader());
                closing.await();
                assertEquals(0, server.connectionCount());
                server.awaitClosed(); // returns at once
                assertThrows(ConnectException.class, () -> Streams.openConnection(LOCALHOST, port),
                        "a closed server accepts no connection");
                return List.of(answer, idlerGot);
            }
        });
        steps.finish(6);
        assertEquals(List.of("bye after work\n", ""), seen);
    }

    @Test
    void aFailingHandlerReachesTheExceptionHandlerAndOnlyItsConnectionCloses() {
        IllegalStateException boom = new IllegalStateException("the handler failed on purpose");
        ConnectionHandler handler = (reader, writer) -> {
            String line = text(reader.readLineBytes());
            if (line.equals("fail\n")) {
                throw boom;
            }
            writer.write(ascii("ok " + line));
        };
        List<String> answers = run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            try (StreamConnection failing = Streams.openConnection(LOCALHOST, server.port())) {
                failing.writer().write(ascii("fail\n"));
                String failed = readToTheEnd(failing.reader());
                assertTrue(server.isServing(), "the server serves on");
                try (StreamConnection next = Streams.openConnection(LOCALHOST, server.port())) {
                    next.writer().write(ascii("hello\n"));
                    return List.of(failed, text(next.reader().readAll()));
                }
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(List.of("", "ok hello\n"), answers);
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), "one report: " + reported);
        assertSame(boom, reported.getFirst().exception());
        assertTrue(reported.getFirst().message().contains("stream handler"), reported.getFirst().message());
    }

    @Test
    void serveForeverReturnsOnceTheServerIsClosedAndItsLastHandlerEnded() {
        Steps steps = new Steps();
        AtomicReference<StreamServer> serverRef = new AtomicReference<>();
        ConnectionHandler handler = (reader, writer) -> {
            if (text(reader.readLineBytes()).equals("stop\n")) {
                serverRef.get().close();
                steps.expect(2);
                writer.write(ascii("stopping\n"));
                writer.drain();
                reader.readLineBytes(); // until the client has read the answer and closed
                steps.expect(4);
            }
        };
        run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            serverRef.set(server);
            Task<Void> serving = Tasks.spawn(() -> {
                server.serveForever();
                steps.expect(5);
                return null;
            });
            Tasks.spawn(() -> null).await(); // let it begin serving
            assertThrows(BusyResourceException.class, server::serveForever);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                steps.expect(1);
                c.writer().write(ascii("stop\n"));
                assertEquals("stopping\n", text(c.reader().readLineBytes()));
                steps.expect(3);
            }
            serving.await();
            assertFalse(server.isServing());
            assertEquals(0, server.connectionCount());
            assertThrows(ClosedResourceException.class, server::serveForever);
            return null;
        });
        steps.finish(6);
    }

    @Test
    void cancellingServeForeverClosesTheServerAndCancelsItsHandlers() {
        Steps steps = new Steps();
        Event started = new Event();
        ConnectionHandler handler = (reader, writer) -> {
            started.set();
            try {
                reader.readLineBytes();
            } catch (CancellationException e) {
                steps.expect(2);
                throw e;
            }
        };
        String clientGot = run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            Task<Void> serving = Tasks.spawn(() -> {
                server.serveForever();
                return null;
            });
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                started.await();
                steps.expect(1);
                serving.cancel();
                assertThrows(CancellationException.class, serving::await);
                steps.expect(3);
                assertFalse(server.isServing());
                assertEquals(0, server.connectionCount(), "serveForever waited for the cancelled handler");
                return readToTheEnd(c.reader()); // the cancelled handler's connection was aborted
            }
        });
        steps.finish(4);
        assertEquals("", clientGot);
    }

    @Test
    void aHundredConcurrentConnectionsOnOneLoop() {
        int clients = 100;
        List<String> answers = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echoLines, LOCALHOST, 0);
            Barrier allConnected = new Barrier(clients);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String line = "client " + i + "\n";
                tasks.add(Tasks.spawn(() -> {
                    try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                        allConnected.await(); // all 100 are open at once
                        c.writer().write(ascii(line));
                        c.writer().drain();
                        return text(c.reader().readLineBytes());
                    }
                }));
            }
            List<String> got = new ArrayList<>();
            for (Task<String> task : tasks) {
                got.add(task.await());
            }
            server.close();
            server.awaitClosed();
            return got;
        });
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            expected.add("client " + i + "\n");
        }
        assertEquals(expected, answers);
    }

    @Test
    void aTaskCancelledInCloseGracefullyCancelsTheHandlersAndWaitsForThem() {
        Steps steps = new Steps();
        Event started = new Event();
        ConnectionHandler handler = (reader, writer) -> {
            started.set();
            try {
                reader.readLineBytes();
            } catch (CancellationException e) {
                steps.expect(2);
                throw e;
            }
        };
        run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                started.await();
                Task<Void> closing = Tasks.spawn(() -> {
                    server.closeGracefully(NEVER);
                    return null;
                });
                Tasks.spawn(() -> null).await(); // let it begin waiting
                steps.expect(1);
                closing.cancel();
                assertThrows(CancellationException.class, closing::await);
                steps.expect(3);
                assertEquals(0, server.connectionCount());
                assertEquals("", readToTheEnd(c.reader()));
            }
            return null;
        });
        steps.finish(4);
    }
}
