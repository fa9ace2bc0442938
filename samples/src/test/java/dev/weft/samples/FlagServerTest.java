package dev.weft.samples;

import dev.weft.http.HttpResponse;
import dev.weft.http.HttpServer;
import dev.weft.http.HttpSession;
import dev.weft.loop.Loops;
import dev.weft.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flag server on every backend, asked by Weft's client: the flags as Debian ships them, the index, 404s, and the
 * seeded errors; and {@code weft flag-server} as a user runs and stops it.
 */
@Timeout(60)
class FlagServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void itServesEveryFlagTheIndexAnd404s(String backend) throws Exception {
        List<String> seen = Loops.run(NamedLoops.named(backend), () -> {
            HttpServer server = FlagServer.start("127.0.0.1", 0, FlagServer.Behaviour.PROMPT);
            try (HttpSession session = HttpSession.builder().build()) {
                List<String> outcome = new ArrayList<>();
                for (String code : List.of("cn", "IN", "us")) {
                    try (HttpResponse flag = session.get(server.url("/flags/" + code + ".png"))) {
                        assertArrayEquals(resource(code.toLowerCase()), flag.bytes(), code);
                        outcome.add(flag.status() + " " + flag.headers().first("Content-Type"));
                    }
                }
                try (HttpResponse index = session.get(server.url("/flags/"))) {
                    List<String> lines = index.text().lines().toList();
                    outcome.add(lines.size() + " " + lines.getFirst() + " " + lines.getLast());
                }
                for (String path : List.of("/flags/xx.png", "/elsewhere")) {
                    try (HttpResponse missing = session.get(server.url(path))) {
                        outcome.add(missing.status() + "");
                    }
                }
                return outcome;
            } finally {
                server.close();
            }
        });
        assertEquals(List.of("200 image/png", "200 image/png", "200 image/png", "247 ad.png zw.png", "404", "404"),
                seen);
    }

    /** The same seed draws the same errors, a different one others; a rate of 1 fails every flag. */
    @Test
    void itsErrorsFollowTheSeed() throws Exception {
        assertEquals(statuses(0.5, 7), statuses(0.5, 7));
        assertNotEquals(statuses(0.5, 7), statuses(0.5, 8));
        assertEquals(List.of(418, 418, 418, 418, 418, 418, 418, 418, 418, 418, 418, 418), statuses(1, 1));
        assertTrue(statuses(0.5, 7).contains(200) && statuses(0.5, 7).contains(418), statuses(0.5, 7).toString());
    }

    private static List<Integer> statuses(double errorRate, long seed) throws Exception {
        return Loops.run(NamedLoops.named("nio"), () -> {
            HttpServer server = FlagServer.start("127.0.0.1", 0,
                    new FlagServer.Behaviour(Duration.ZERO, Duration.ZERO, errorRate, seed));
            try (HttpSession session = HttpSession.builder().build()) {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    try (HttpResponse flag = session.get(server.url("/flags/br.png"))) {
                        statuses.add(flag.status());
                    }
                }
                return statuses;
            } finally {
                server.close();
            }
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX) // kill
    void theCommandServesUntilSigtermThenSaysItStoppedAndExits143() throws Exception {
        Pattern started = Pattern.compile("flag server \\((\\w+) loop\\) on http://127.0.0.1:(\\d+)/flags/ with 247 "
                + "flags; delay 1-3 ms, error rate 0.0, seed 5");
        try (ChildJvm server = ChildJvm.of(Weft.class.getName())
                .args("flag-server", "--port", "0", "--delay", "1-3", "--seed", "5").start()) {
            Matcher line = started.matcher(server.awaitLine("flag server (", WAIT));
            assertTrue(line.matches(), server.transcript());
            CommandLine get = weft("http", "http://127.0.0.1:" + line.group(2) + "/flags/", "-o", "/dev/null");
            assertEquals(0, get.status, get.err);
            server.signal("TERM");
            assertEquals("flag server stopped", server.awaitLine("stopped", WAIT));
            assertEquals(143, server.awaitExit(WAIT), server.transcript());
            assertFalse(server.transcript().contains("Exception"), "quiet: no stack trace\n" + server.transcript());
        }
    }

    @Test
    void badOptionsExitTwoNamingTheValueAndHelpShowsTheUsage() {
        CommandLine delay = weft("flag-server", "--delay", "5-x");
        assertEquals(2, delay.status);
        assertEquals("weft flag-server: --delay is MIN-MAX or MS in milliseconds, such as 50-500, not '5-x'",
                delay.err.strip());
        CommandLine rate = weft("flag-server", "--error-rate", "2");
        assertEquals(2, rate.status);
        assertEquals("weft flag-server: the error rate is from 0 to 1, not 2.0", rate.err.strip());
        CommandLine unknown = weft("flag-server", "--colour");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.startsWith("weft flag-server: Unknown option: '--colour'; usage: weft flag-server "),
                unknown.err);
        CommandLine help = weft("flag-server", "--help");
        assertEquals(0, help.status, help.err);
        assertTrue(help.out.startsWith("Usage: weft flag-server") && help.out.contains("--error-rate"), help.out);
    }

    private static byte[] resource(String code) throws Exception {
        try (InputStream in = FlagServerTest.class.getResourceAsStream("/flags/" + code + ".png")) {
            return in.readAllBytes();
        }
    }
}
