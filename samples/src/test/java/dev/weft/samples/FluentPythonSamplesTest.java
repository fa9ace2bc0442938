package dev.weft.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The samples from Fluent Python's concurrency chapters, run as a user runs them. */
@Timeout(30)
class FluentPythonSamplesTest {
    private static final Pattern COUNTDOWN_LINE = Pattern.compile("\\s*[0-9.]+s  ([ABC]): (\\d+)");

    @Test
    void theSpinnerSpinsWithAThreadAndWithATaskAndBothAnswer() {
        CommandLine run = weft("spinner", "--seconds", "0.35");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("thinking (thread)") && run.out.contains("thinking (task)"), run.out);
        List<String> answers = run.out.lines().map(line -> line.substring(line.lastIndexOf('\r') + 1))
                .filter(line -> line.contains("Answer")).toList();
        assertEquals(List.of("thread: Answer: 42", "task:   Answer: 42"), answers);
    }

    @Test
    void countdownsInterleaveInDeadlineOrderOnOneLoop() {
        CommandLine run = weft("countdown", "--from", "3", "--tick", "0.02");
        assertEquals(0, run.status, run.err);
        List<String> lines = run.out.lines().filter(line -> COUNTDOWN_LINE.matcher(line).matches())
                .map(line -> line.strip().replaceFirst("^[0-9.]+s\\s+", "")).toList();
        assertEquals(9, lines.size(), run.out);
        // All three start together; their first deadlines are 1, 1.5 and 2 ticks away.
        assertEquals(List.of("A: 3", "B: 3", "C: 3"), lines.subList(0, 3), run.out);
        for (String name : List.of("A", "B", "C")) {
            assertEquals(List.of(name + ": 3", name + ": 2", name + ": 1"),
                    lines.stream().filter(line -> line.startsWith(name)).toList(), run.out);
        }
        Matcher summary = Pattern.compile("all done in [0-9.]+s on the (\\w+) loop").matcher(run.out);
        assertTrue(summary.find(), run.out);
        assertEquals("iouring", summary.group(1), "auto picks the best loop these machines have");
    }
}
