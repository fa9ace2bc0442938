package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
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
                port.completeExceptionally(t);
                throw t;
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
