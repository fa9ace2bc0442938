package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.scope.Timeout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.awaitCondition;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Faults a server meets from hostile or broken peers, injected with plain JDK sockets on a thread of their own against
 * a line server in streams mode: a reset at every stage of an exchange, a slowloris sender, and a peer whose small
 * receive window turns every large write into many partial ones. Each fault may end its own connection, never the
 * server: a well-behaved client is served right after it (or while it lasts), and {@link LoopSuite} checks that no
 * socket, descriptor or task is left once the loop closes.
 */
public abstract class FaultInjectionSuite extends LoopSuite {
    private static final Duration DEADLINE = Duration.ofSeconds(6);
    /** What the server answers to the line {@code big}: more than a socket's buffers hold, so writes wait. */
    private static final int BIG = 8 << 20;
    private static final Duration LINE_TIMEOUT = Duration.ofMillis(300);

    /** Where in an exchange the peer resets the connection (SO_LINGER 0, then close). */
    private enum Stage { CONNECTED, MID_LINE, WHILE_THE_SERVER_WRITES, AFTER_HALF_CLOSE }

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    @Test
    void aResetRightAfterConnectEndsOnlyThatConnection() {
        resetAt(Stage.CONNECTED);
    }

    @Test
    void aResetInTheMiddleOfALineEndsOnlyThatConnection() {
        resetAt(Stage.MID_LINE);
    }

    @Test
    void aResetWhileTheServerWritesEndsOnlyThatConnection() {
        resetAt(Stage.WHILE_THE_SERVER_WRITES);
    }

    @Test
    void aResetAfterTheClientHalfClosedEndsOnlyThatConnection() {
        resetAt(Stage.AFTER_HALF_CLOSE);
    }

    private void resetAt(Stage stage) {
        run(() -> {
            StreamServer server = Streams.startServer(FaultInjectionSuite::serveLines, LOCALHOST, 0);
            int port = server.port(); // read on the loop: the server is confined to it
            ForeignThread<Void> peer = onForeignThread(() -> reset(port, stage));
            awaitCondition(DEADLINE, () -> peer.result().isDone() && server.connectionCount() == 0,
                    () -> "peer done: " + peer.result().isDone() + ", connections: " + server.connectionCount());
            peer.result().join(); // rethrows what went wrong on the peer's side
            assertEquals("ping", echoOnce(port), "a client after the reset at " + stage);
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void aSlowlorisSenderIsCutOffByTheHandlersTimeoutWhileOthersAreServed() {
        run(() -> {
            StreamServer server = Streams.startServer(FaultInjectionSuite::serveLines, LOCALHOST, 0);
            int port = server.port();
            ForeignThread<Long> slowloris = onForeignThread(() -> slowloris(port));
            awaitCondition(DEADLINE, () -> server.connectionCount() == 1, () -> "the slowloris never connected");
            assertEquals("ping", echoOnce(port), "a client served while the slowloris trickles");
            long cutOffAfterMillis = Async.await(slowloris.result());
            assertTrue(cutOffAfterMillis >= LINE_TIMEOUT.toMillis(),
                    "the server cut the slowloris off after its line timeout, not before: " + cutOffAfterMillis);
            awaitCondition(DEADLINE, () -> server.connectionCount() == 0, () -> "the slowloris's handler still runs");
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    @Test
    void aPeerWithATinyReceiveWindowGetsEveryByteOfALargeAnswerInOrder() {
        run(() -> {
            StreamServer server = Streams.startServer(FaultInjectionSuite::serveLines, LOCALHOST, 0);
            int port = server.port();
            long received = Async.await(onForeignThread(() -> readBigThroughATinyWindow(port)).result());
            assertEquals(BIG, received);
            server.close();
            server.awaitClosed();
            return null;
        });
    }

    /**
     * The server under test: answers each line with itself, and {@code big} with {@link #BIG} patterned bytes; a line
     * must come whole within {@link #LINE_TIMEOUT}, as a server that guards against slowloris peers would ask.
     */
    private static void serveLines(StreamReader reader, StreamWriter writer) throws IOException {
        while (true) {
            String line;
            try {
                line = Timeout.after(LINE_TIMEOUT, () -> reader.readLine());
            } catch (DeadlineExceededException tooSlow) {
                return; // closing the connection is the answer
            }
            if (line == null) {
                return; // the end of the stream
            }
            if (line.equals("big")) {
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < BIG; sent += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = patternAt(sent + i);
                    }
                    writer.write(chunk.clone());
                    writer.drain();
                }
            } else {
                writer.write(line + "\n");
            }
        }
    }

    private static byte patternAt(long offset) {
        return (byte) (offset % 251);
    }

    /** In a task: one well-behaved client's round trip. */
    private static String echoOnce(int port) throws IOException {
        try (StreamConnection connection = Streams.openConnection(LOCALHOST, port)) {
            connection.writer().write("ping\n");
            return Timeout.after(DEADLINE, () -> connection.reader().readLine());
        }
    }

    private static Void reset(int port, Stage stage) throws IOException {
        try (Socket socket = new Socket(LOCALHOST, port)) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            switch (stage) {
                case CONNECTED -> { }
                case MID_LINE -> out.write("half a li".getBytes(StandardCharsets.US_ASCII));
                case WHILE_THE_SERVER_WRITES -> {
                    out.write("big\n".getBytes(StandardCharsets.US_ASCII));
                    in.readNBytes(1024); // the server is writing now, and has megabytes to go
                }
                case AFTER_HALF_CLOSE -> {
                    out.write("big\n".getBytes(StandardCharsets.US_ASCII));
                    socket.shutdownOutput();
                    in.readNBytes(1024);
                }
            }
            socket.setSoLinger(true, 0); // close() now sends a reset
        }
        return null;
    }

    /**
     * Send a byte every 25 ms and never a newline, until the server closes the connection; the milliseconds that took.
     * The gaps are the fault injected, not a wait for a result.
     */
    private static long slowloris(int port) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(LOCALHOST, port)) {
            socket.setSoTimeout(25);
            OutputStream out = socket.getOutputStream();
            while (System.nanoTime() - start < DEADLINE.toNanos()) {
                try {
                    out.write('x');
                    out.flush();
                    if (socket.getInputStream().read() < 0) {
                        return (System.nanoTime() - start) / 1_000_000;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // no answer in 25 ms: trickle on
                } catch (IOException closedByServer) {
                    return (System.nanoTime() - start) / 1_000_000;
                }
            }
        }
        throw new AssertionError("the server let a slowloris trickle for " + DEADLINE);
    }

    /** Ask for the big answer through a 4 KiB receive window, read in 512-byte pieces, checking every byte. */
    private static long readBigThroughATinyWindow(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096); // before connecting, so the window is small from the start
            socket.connect(new InetSocketAddress(LOCALHOST, port));
            socket.setSoTimeout((int) DEADLINE.toMillis());
            socket.getOutputStream().write("big\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] piece = new byte[512];
            long received = 0;
            while (received < BIG) {
                int n = in.read(piece);
                if (n < 0) {
                    throw new IOException("the answer ended after " + received + " of " + BIG + " bytes");
                }
                for (int i = 0; i < n; i++) {
                    if (piece[i] != patternAt(received + i)) {
                        throw new IOException("byte " + (received + i) + " differs: the answer was reordered or torn");
                    }
                }
                received += n;
            }
            return received;
        }
    }
}
