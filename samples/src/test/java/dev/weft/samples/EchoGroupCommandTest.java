package dev.weft.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft echo-server --loops N}: the command serves through a loop group, end to end over real sockets, until its
 * thread is interrupted; a bad count exits 2 naming the value and what to write instead.
 */
@Timeout(30)
class EchoGroupCommandTest {
    private static final Pattern STARTED = Pattern.compile("echo server \\((\\w+), 2 (\\w+) loops\\) on \\[.*:(\\d+)]");

    @ParameterizedTest
    @ValueSource(strings = {"streams", "protocol"})
    void aServerOfTwoLoopsEchoesToSeveralClients(String mode) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PrintStream out = new PrintStream(new LineSink(lines), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Thread serving = Thread.ofPlatform().name("echo-server-command").start(() -> status.complete(
                Weft.run(List.of("echo-server", "--loops", "2", "--port", "0", "--mode", mode), out, out)));
        try {
            String started = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(started, "the server said nothing within 10 s");
            Matcher matched = STARTED.matcher(started);
            assertTrue(matched.matches(), started);
            assertEquals(mode, matched.group(1));
            String backend = matched.group(2);
            String spread = lines.poll(10, TimeUnit.SECONDS);
            assertNotNull(spread);
            assertTrue(spread.endsWith("weft-" + backend + "-0, weft-" + backend + "-1"), spread);
            for (int client = 0; client < 4; client++) {
                CommandLine run = weft("echo-client", "--port", matched.group(3), "--count", "2",
                        "--message", "hello " + client);
                assertEquals(0, run.status, run.err);
                assertEquals(("hello " + client + "\n").repeat(2), run.out);
            }
        } finally {
            serving.interrupt(); // how the command is told to stop in-process: it closes the server and the group
            serving.join(10_000);
        }
        assertEquals(0, status.get(1, TimeUnit.SECONDS), "exit status after the interrupt");
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

    /** Hands each complete line written to it to a queue, for a test that waits for what a command prints. */
    private static final class LineSink extends OutputStream {
        private final BlockingQueue<String> lines;
        private final StringBuilder line = new StringBuilder();

        LineSink(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(line.toString());
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }
}
