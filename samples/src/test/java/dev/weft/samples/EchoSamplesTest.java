package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft echo-server}'s two modes serve {@code weft echo-client}; a refused connect names the address. */
@Timeout(30)
class EchoSamplesTest {

    @ParameterizedTest
    @ValueSource(strings = {"streams", "protocol"})
    void theEchoClientGetsItsLinesBackFromEitherServerMode(String mode) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> stop = new CompletableFuture<>();
        Thread serving = Thread.ofPlatform().name("echo-" + mode).start(() -> Loops.run(() -> {
            try (EchoServer server = EchoServer.start(mode, "127.0.0.1", 0)) {
                port.complete(server.port());
                Async.await(stop);
            } catch (Throwable t) {
                port.completeExceptionally(t); // the test fails on it
            }
            return null;
        }));
        try {
            CommandLine run = weft("echo-client", "--port", String.valueOf(port.get(10, TimeUnit.SECONDS)),
                    "--count", "3", "--message", "hello " + mode);
            assertEquals(0, run.status, run.err);
            assertEquals(("hello " + mode + "\n").repeat(3), run.out);
        } finally {
            stop.complete(null);
            serving.join(10_000);
        }
        assertTrue(!serving.isAlive(), "the echo server did not stop");
    }

    /** A server that accepts and never answers: the client gives up after --timeout, naming server and timeout. */
    @Test
    void aSilentServerTimesTheClientOutNamingServerAndTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    accepted.complete(silent.accept()); // held open, never read nor written
                } catch (IOException e) {
                    accepted.completeExceptionally(e);
                }
            });
            CommandLine run = weft("echo-client", "--port", String.valueOf(silent.getLocalPort()), "--timeout", "0.5");
            assertEquals(1, run.status, run.err);
            assertEquals("", run.out);
            assertEquals("weft echo-client: could not get an echo from 127.0.0.1:" + silent.getLocalPort()
                    + " within 0.5 s (--timeout); check that an echo server is what listens there,"
                    + " or give it longer with --timeout SECONDS (0 waits forever)", run.err.strip());
            try (Socket connection = accepted.get(10, TimeUnit.SECONDS)) {
                connection.setSoTimeout(10_000);
                assertEquals("hello, weft\n", new String(connection.getInputStream().readAllBytes(),
                        StandardCharsets.UTF_8), "the client sent its line, then closed when it gave up");
            }
        }
    }

    @Test
    void aRefusedConnectionExitsOneNamingTheAddress() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort(); // free once closed: nobody listens there
        }
        CommandLine run = weft("echo-client", "--port", String.valueOf(closedPort));
        assertEquals(1, run.status);
        assertTrue(run.err.contains("127.0.0.1:" + closedPort), run.err);
        assertTrue(run.err.contains("refused"), run.err);
    }
}
