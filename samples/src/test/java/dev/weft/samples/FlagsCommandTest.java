package dev.weft.samples;

import dev.weft.loop.LoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft flags} as a user runs it: against the flag server it starts itself, in each mode and on each loop,
 * and against servers that fail (418s, slowness past the timeout, nobody listening), whose failures are counted by
 * kind and end the run with status 1, never a stack trace.
 */
@Timeout(60)
class FlagsCommandTest {
    @TempDir
    Path out;
    private LoopGroup serverLoop;

    @AfterEach
    void stopServer() {
        if (serverLoop != null) {
            serverLoop.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"async nio", "async epoll", "async iouring", "async vthreads", "threads nio",
            "virtual nio", "sequential nio"})
    void withNoServerItStartsOneAndSavesTheTwentyFlags(String modeAndLoop) throws IOException {
        String[] parts = modeAndLoop.split(" ");
        CommandLine run = weft("--loop", parts[1], "flags", "--mode", parts[0], "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        List<String> lines = run.out.lines().toList();
        assertTrue(lines.getFirst().startsWith("downloading 20 flags from http://127.0.0.1:"), run.out);
        // flags.py's line of codes, in the order the downloads ended
        assertEquals(java.util.Set.copyOf(FlagsCommand.POPULOUS), java.util.Set.of(lines.get(1).strip().split(" ")));
        assertTrue(lines.get(2).matches("20 flags downloaded in \\d+\\.\\d\\ds, saved in " + out), run.out);
        try (Stream<Path> saved = Files.list(out)) {
            assertEquals(20, saved.count());
        }
        assertArrayEquals(FlagServer.FLAGS.get("cn"), Files.readAllBytes(out.resolve("cn.png")));
    }

    @Test
    void failuresAreCountedByKindAndTheRunGoesOn() {
        String server = startFlagServer(new FlagServer.Behaviour(Duration.ZERO, Duration.ZERO, 1, 3));
        CommandLine teapots = weft("flags", "--server", server, "--codes", "cn,in,xx", "--out", out.toString());
        assertEquals(1, teapots.status, teapots.out + teapots.err);
        assertTrue(teapots.out.contains("0 flags downloaded in "), teapots.out);
        assertTrue(teapots.out.contains("3 failed: 1 HTTP 404, 2 HTTP 418"), teapots.out);
        assertEquals("", teapots.err);
    }

    /** A slow server says how long it waited; the summary gives the longest, which a concurrent run is close to. */
    @Test
    void theServersLongestDelayIsReported() {
        String slow = startFlagServer(new FlagServer.Behaviour(Duration.ofMillis(20), Duration.ofMillis(40), 0, 9));
        CommandLine run = weft("flags", "--server", slow, "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        java.util.regex.Matcher delay = java.util.regex.Pattern.compile("the server's longest delay was (\\d+) ms")
                .matcher(run.out);
        assertTrue(delay.find(), run.out);
        int longest = Integer.parseInt(delay.group(1));
        assertTrue(longest >= 20 && longest <= 40, run.out);
    }

    @Test
    void aServerSlowerThanTheTimeoutCountsTimeoutsAndNoServerCountsRefusals() throws IOException {
        String slow = startFlagServer(new FlagServer.Behaviour(Duration.ofSeconds(5), Duration.ofSeconds(5), 0, 0));
        CommandLine timeouts = weft("flags", "--server", slow, "--codes", "cn,in", "--timeout", "0.2",
                "--out", out.toString());
        assertEquals(1, timeouts.status, timeouts.out + timeouts.err);
        assertTrue(timeouts.out.contains("2 failed: 2 timeout"), timeouts.out);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String mode : List.of("async", "threads")) {
            CommandLine refused = weft("flags", "--mode", mode, "--server", "http://127.0.0.1:" + closedPort,
                    "--codes", "cn", "--out", out.toString());
            assertEquals(1, refused.status, refused.out + refused.err);
            assertTrue(refused.out.contains("1 failed: 1 connection refused"), mode + ": " + refused.out);
        }
    }

    @Test
    void repeatedRoundsSayTheRateAndBadOptionsExitTwoNamingTheValue() {
        CommandLine rounds = weft("flags", "--codes", "br,de", "--repeat", "3", "--warmup", "1", "--out",
                out.toString());
        assertEquals(0, rounds.status, rounds.out + rounds.err);
        assertTrue(rounds.out.contains("6 flags downloaded in ") && rounds.out.contains(" flags/s)"), rounds.out);
        for (List<String> bad : List.of(List.of("--concurrency", "0"), List.of("--codes", "china"),
                List.of("--all", "--codes", "cn"), List.of("--mode", "fast"), List.of("--timeout", "-1"),
                List.of("--server", "127.0.0.1:8001"))) {
            CommandLine run = weft(Stream.concat(Stream.of("flags"), bad.stream()).toArray(String[]::new));
            assertEquals(2, run.status, bad + ": " + run.err);
            assertTrue(run.err.startsWith("weft flags: ") && run.err.strip().lines().count() == 1, run.err);
        }
        CommandLine help = weft("flags", "--help");
        assertEquals(0, help.status);
        assertTrue(help.out.startsWith("Usage: weft flags") && help.out.contains("Examples:"), help.out);
    }

    /** Ctrl-C or SIGTERM cancels the downloads under way; the run says what finished and exits as signalled. */
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX) // kill
    @ParameterizedTest
    @ValueSource(strings = {"async", "threads"})
    void aSignalStopsTheRunWhichSaysWhatFinished(String mode) throws Exception {
        String slow = startFlagServer(new FlagServer.Behaviour(Duration.ofSeconds(20), Duration.ofSeconds(20), 0, 0));
        try (dev.weft.testkit.ChildJvm run = dev.weft.testkit.ChildJvm.of(Weft.class.getName())
                .args("flags", "--mode", mode, "--server", slow, "--out", out.toString()).start()) {
            run.awaitLine("downloading 20 flags", Duration.ofSeconds(30));
            run.signal("TERM");
            String stopped = run.awaitLine("stopped: ", Duration.ofSeconds(30));
            assertTrue(stopped.startsWith("stopped: 0 flags downloaded in "), run.transcript());
            assertEquals(143, run.awaitExit(Duration.ofSeconds(30)), run.transcript());
            assertTrue(!run.transcript().contains("Exception"), "quiet: no stack trace\n" + run.transcript());
        }
    }

    /** A flag server on a loop thread of the test's; its flags' URL. */
    private String startFlagServer(FlagServer.Behaviour behaviour) {
        serverLoop = LoopGroup.open(1);
        return serverLoop.submit(() -> FlagServer.start("127.0.0.1", 0, behaviour).url("")).join();
    }
}
