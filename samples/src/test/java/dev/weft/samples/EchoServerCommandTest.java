package dev.weft.samples;

import dev.weft.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft echo-server}, as a user runs it and stops it: in a JVM of its own, on one loop or a group of two, it
 * echoes over real sockets until SIGINT (Ctrl-C) or SIGTERM; then it closes its connections, says how many, and exits
 * quietly with 130 or 143. A bad {@code --loops} exits 2 naming the value and what to write instead.
 */
@Timeout(60)
class EchoServerCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern STARTED =
            Pattern.compile("echo server \\((\\w+), (?:(\\d+) )?(\\w+) loops?\\) on \\[.*:(\\d+)]");

    @ParameterizedTest(name = "{0} loop(s), {1}, SIG{2}")
    @CsvSource({"1, streams, INT, 130", "1, protocol, TERM, 143", "2, streams, TERM, 143", "2, protocol, INT, 130"})
    @EnabledOnOs(OS.LINUX) // kill, and GNU env to reset the signals the child inherits
    void aSignalStopsTheServerWhichClosesItsConnectionsSaysSoAndExitsWithTheSignalsStatus(
            int loops, String mode, String signal, int status) throws Exception {
        try (ChildJvm server = ChildJvm.of(Weft.class.getName())
                .args("echo-server", "--port", "0", "--mode", mode, "--loops", String.valueOf(loops)).start()) {
            Matcher started = STARTED.matcher(server.awaitLine("echo server (", WAIT));
            assertTrue(started.matches(), server.transcript());
            assertEquals(mode, started.group(1));
            int port = Integer.parseInt(started.group(4));
            if (loops > 1) {
                assertEquals(String.valueOf(loops), started.group(2));
                String backend = started.group(3);
                String spread = server.awaitLine("loop", WAIT);
                assertTrue(spread.endsWith("weft-" + backend + "-0, weft-" + backend + "-1"), spread);
            }
            CommandLine client = weft("echo-client", "--port", String.valueOf(port), "--count", "2",
                    "--message", "hello");
            assertEquals(0, client.status, client.err);
            assertEquals("hello\nhello\n", client.out);

            try (Socket first = connected(port); Socket second = connected(port)) {
                server.signal(signal);
                assertEquals("echo server stopped: closed 2 connections", server.awaitLine("stopped", WAIT));
                assertEquals(status, server.awaitExit(WAIT), server.transcript());
                assertFalse(server.transcript().contains("Exception"), "quiet: no stack trace\n" + server.transcript());
                assertClosedByPeer(first);
                assertClosedByPeer(second);
            }
        }
    }

    @Test
    void aBadLoopCountExitsTwoNamingTheValueAndTheRemedy() {
        for (String bad : List.of("0", "many", "-3", "100000")) {
            CommandLine run = weft("echo-server", "--loops", bad);
            assertEquals(2, run.status, run.err);
            assertEquals("weft echo-server: --loops must be a whole number from 1 to 1024, or cores for one loop per "
                    + "core; not '" + bad + "'", run.err.strip());
            assertEquals("", run.out);
        }
    }

    /** A connection the server serves: one echo has come back through it. */
    private static Socket connected(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ping\n", new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
        return socket;
    }

    private static void assertClosedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "EOF");
        } catch (SocketException reset) {
            assertTrue(String.valueOf(reset.getMessage()).contains("reset"), reset.toString());
        }
    }
}
