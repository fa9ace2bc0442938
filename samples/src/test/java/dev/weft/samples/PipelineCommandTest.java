package dev.weft.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft pipeline}: Go's pipeline patterns on channels and select, run as a user runs it. */
@Timeout(30)
class PipelineCommandTest {
    private static final Pattern SQUARE = Pattern.compile("   (\\d+) squared is (\\d+) \\(worker (\\d+), loop ([01])\\)");

    @Test
    void everyNumberIsSquaredOnceThenQuitStopsEveryStageAndATimeoutGivesUp() {
        CommandLine run = weft("pipeline", "--numbers", "12", "--workers", "3");
        assertEquals(0, run.status, run.err);
        List<String> lines = run.out.lines().toList();
        int second = indexOf(lines, "2. ");
        int third = indexOf(lines, "3. ");
        assertTrue(lines.getFirst().startsWith("1. generator -> 3 workers -> merge -> consumer"), run.out);

        List<Matcher> first = squares(lines.subList(1, second));
        assertEquals(IntStream.rangeClosed(1, 12).boxed().collect(Collectors.toSet()),
                first.stream().map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toSet()), run.out);
        assertEquals(12, first.size(), "each number exactly once: " + run.out);
        for (Matcher square : first) {
            long n = Long.parseLong(square.group(1));
            int worker = Integer.parseInt(square.group(3));
            assertEquals(n * n, Long.parseLong(square.group(2)), run.out);
            assertTrue(worker >= 1 && worker <= 3, run.out);
            assertEquals(worker % 2, Integer.parseInt(square.group(4)), "worker w runs on loop w % 2: " + run.out);
        }
        assertTrue(run.out.contains("12 squares, sum 650 (expected 650)"), run.out);

        assertEquals(3, squares(lines.subList(second + 1, third)).size(), run.out);
        Matcher stopped = Pattern.compile("the generator stopped after (\\d+) of 10000 numbers").matcher(run.out);
        assertTrue(stopped.find(), run.out);
        assertTrue(Integer.parseInt(stopped.group(1)) < 10_000, run.out);

        assertTrue(run.out.contains("no square within 100 ms: timed out"), run.out);
    }

    @Test
    void helpSaysWhatItShowsAndBadOptionsAreRefused() {
        CommandLine help = weft("pipeline", "--help");
        assertEquals(0, help.status, help.err);
        assertTrue(help.out.contains("usage: weft pipeline [--numbers N] [--workers W]"), help.out);
        CommandLine bad = weft("pipeline", "--workers", "0");
        assertEquals(Command.USAGE, bad.status, bad.out);
        assertTrue(bad.err.contains("--workers"), bad.err);
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with '" + prefix + "' in " + lines);
    }

    private static List<Matcher> squares(List<String> lines) {
        return lines.stream().map(SQUARE::matcher).filter(Matcher::matches).toList();
    }
}
