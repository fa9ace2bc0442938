package dev.weft.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft supervisor}: workers crash at random, are restarted, and the requests keep being served. */
@Timeout(30)
class SupervisorCommandTest {
    private static final Pattern COUNTS =
            Pattern.compile("served (\\d+) requests in [0-9.]+ s; (\\d+) crashes, (\\d+) restarts");

    @Test
    void workersCrashAndAreRestartedWhileTheRequestsAreServedAndTheCountsComeLast() {
        CommandLine run = weft("supervisor", "--seconds", "1", "--crash-rate", "0.02", "--workers", "3");
        assertEquals(0, run.status, run.err);
        List<String> lines = run.out.lines().toList();
        Matcher counts = COUNTS.matcher(lines.getLast());
        assertTrue(counts.matches(), "the last line gives the counts: " + lines.getLast());
        int served = Integer.parseInt(counts.group(1));
        int crashes = Integer.parseInt(counts.group(2));
        int restarts = Integer.parseInt(counts.group(3));
        assertTrue(served > 0 && crashes > 0 && restarts > 0, lines.getLast());
        assertEquals(crashes, lines.stream().filter(line -> line.matches(".* worker-\\d crashed serving request \\d+"))
                .count(), "one line per crash");
        assertEquals(restarts, lines.stream().filter(line -> line.matches(".* worker-\\d restarted \\(run \\d+\\)"))
                .count(), "one line per restart");
        // A crash is followed by a restart, but the end may cut the last ones short (one per worker at most); should
        // the workers' supervisor give up, the root restarts all three workers.
        long gaveUp = lines.stream().filter(line -> line.contains("workers gave up")).count();
        assertTrue(restarts >= crashes - 3 && restarts <= crashes + 3 * gaveUp, lines.getLast());
    }

    @Test
    void aCrashRateOutsideZeroToOneIsAUsageError() {
        CommandLine run = weft("supervisor", "--crash-rate", "2");
        assertEquals(Command.USAGE, run.status);
        assertEquals("weft supervisor: --crash-rate takes a chance from 0 to 1, like 0.05; not '2'", run.err.strip());
    }

    @Test
    void helpSaysWhatItDoesAndEveryOption() {
        CommandLine run = weft("supervisor", "--help");
        assertEquals(0, run.status, run.err);
        for (String option : List.of("--seconds", "--crash-rate", "--seed", "--workers")) {
            assertTrue(run.out.contains(option), run.out);
        }
    }
}
