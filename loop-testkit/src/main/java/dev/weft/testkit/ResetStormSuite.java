package dev.weft.testkit;

import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.awaitCondition;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A storm of resets — clients that send half a message and reset the connection — is network weather: it costs a
 * server no record above FINE and no stack trace, in streams mode (a handler task per connection) and in protocol
 * mode, and every loss names the peer it came from. The exception handler hearing of it fails the test too
 * ({@link LoopSuite}).
 */
public abstract class ResetStormSuite extends LoopSuite {
    private static final int CLIENTS = 100;
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    private static final byte[] GREETING = "hello\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    @Test
    void resetsInStreamsModeAreCountedNotLogged() throws Exception {
        AtomicInteger started = new AtomicInteger();
        try (LogCapture logs = LogCapture.of("dev.weft")) {
            long broken = run(() -> {
                try (StreamServer server = Streams.startServer((reader, writer) -> {
                    started.incrementAndGet();
                    writer.write(GREETING);
                    reader.readLineBytes(); // half a line, then the reset
                }, LOCALHOST, 0)) { // closed: -Dweft.debug=true warns of a server left open
                    int port = server.port();
                    ForeignThread<Void> clients = onForeignThread(() -> resetMany(port));
                    awaitCondition(DEADLINE,
                            () -> clientsDone(clients) && server.connectionCount() == 0 && started.get() > 0,
                            () -> "clients done: " + clients.result().isDone() + ", handlers started: " + started
                                    + ", running: " + server.connectionCount() + ", broken by peers: "
                                    + server.brokenByPeers());
                    clients.result().join(); // rethrows a client failure
                    return server.brokenByPeers();
                }
            });
            assertEquals(CLIENTS, started.get(), "every client was greeted by a handler");
            assertEquals(started.get(), broken, "every handler ended by its peer's reset is counted");
            assertEquals(List.of(), aboveFine(logs), "records above FINE for resets");
            assertEquals(List.of(), withStackTraces(logs), "records with a stack trace for resets");
        }
    }

    @Test
    void resetsInProtocolModeNameThePeerAndLogNothing() throws Exception {
        ConcurrentLinkedQueue<String> losses = new ConcurrentLinkedQueue<>();
        AtomicInteger made = new AtomicInteger();
        try (LogCapture logs = LogCapture.of("dev.weft")) {
            run(() -> {
                Server server = ((NetworkLoop) loop).listen(new InetSocketAddress(LOCALHOST, 0),
                        () -> new StreamProtocol() {
                            private StreamTransport transport;

                            @Override
                            public void connectionMade(StreamTransport transport) {
                                this.transport = transport;
                                made.incrementAndGet();
                                transport.write(ByteBuffer.wrap(GREETING));
                            }

                            @Override
                            public void dataReceived(ByteBuffer data) {
                            }

                            @Override
                            public void connectionLost(Throwable cause) {
                                losses.add(transport.remoteAddress() + " lost: " + cause);
                            }
                        }, SocketOptions.DEFAULTS).await();
                int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
                ForeignThread<Void> clients = onForeignThread(() -> resetMany(port));
                awaitCondition(DEADLINE, () -> clientsDone(clients) && made.get() > 0 && losses.size() == made.get(),
                        () -> "clients done: " + clients.result().isDone() + ", made: " + made + ", lost: "
                                + losses.size());
                clients.result().join(); // rethrows a client failure
                server.close();
                return null;
            });
            assertEquals(CLIENTS, made.get(), "every client was greeted by a protocol");
            for (String loss : losses) {
                assertTrue(!loss.startsWith("null") && !loss.contains("(unbound)")
                                && loss.contains("BrokenResourceException: connection reset by peer 127.0.0.1:"),
                        "a reset is a broken connection, and the peer is known and named in it: " + loss);
            }
            assertEquals(List.of(), aboveFine(logs), "records above FINE for resets");
            assertEquals(List.of(), withStackTraces(logs), "records with a stack trace for resets");
        }
    }

    private static List<String> withStackTraces(LogCapture logs) {
        return logs.records(r -> r.getThrown() != null).stream().map(LogCapture::text).toList();
    }

    private static List<String> aboveFine(LogCapture logs) {
        return logs.records(r -> r.getLevel().intValue() > Level.FINE.intValue()).stream().map(LogCapture::text).toList();
    }

    private static boolean clientsDone(ForeignThread<Void> clients) {
        if (clients.result().isCompletedExceptionally()) {
            clients.result().join();
        }
        return clients.result().isDone();
    }

    /** Connect, wait for the server's greeting, send half a line, and reset (SO_LINGER 0), client after client. */
    private static Void resetMany(int port) throws IOException {
        for (int i = 0; i < CLIENTS; i++) {
            try (Socket socket = new Socket(LOCALHOST, port)) {
                socket.setSoTimeout((int) DEADLINE.toMillis());
                socket.getInputStream().readNBytes(GREETING.length);
                socket.setSoLinger(true, 0);
                OutputStream out = socket.getOutputStream();
                out.write(("half a line from client " + i).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        return null;
    }
}
