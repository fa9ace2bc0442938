package dev.weft.samples;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a {@code weft flags} run got: flags downloaded and failures by kind, shown as they come, as a progress bar on
 * a terminal, else as the codes on one line when there is a single round ({@code flags.py}'s output), else nothing
 * until the summary. Fed on one thread or loop at a time.
 */
final class FlagTally {
    private static final long REDRAW_NANOS = 50_000_000;

    private final int expected;
    private final PrintStream progress;
    private final boolean terminal;
    private final boolean listCodes;
    private final Map<String, Integer> failures = new TreeMap<>();
    private int downloaded;
    private long bytes;
    private long drawnAt;
    private long longestDelay = -1;

    /** A tally of expected results; progress goes to this stream, a bar if it is a terminal. */
    FlagTally(int expected, PrintStream progress, boolean terminal, boolean listCodes) {
        this.expected = expected;
        this.progress = progress;
        this.terminal = terminal;
        this.listCodes = listCodes && !terminal;
    }

    void add(FlagResult result) {
        longestDelay = Math.max(longestDelay, result.delay());
        if (result.succeeded()) {
            downloaded++;
            bytes += result.png().length;
        } else {
            failures.merge(result.failure(), 1, Integer::sum);
        }
        if (listCodes) {
            progress.print(result.succeeded() ? result.code() + " " : result.code() + "(" + result.failure() + ") ");
            progress.flush();
        } else if (terminal && (System.nanoTime() - drawnAt > REDRAW_NANOS || done() == expected)) {
            drawnAt = System.nanoTime();
            int width = 30;
            int filled = (int) ((long) done() * width / Math.max(1, expected));
            progress.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done() + "/" + expected
                    + (failed() > 0 ? ", " + failed() + " failed" : ""));
            progress.flush();
        }
    }

    /** End the progress line, if one was drawn. */
    void endProgress() {
        if ((listCodes || terminal) && done() > 0) {
            progress.println();
        }
    }

    /** The longest delay a flag server said it added, in ms; -1 if none said. */
    long longestDelay() {
        return longestDelay;
    }

    int downloaded() {
        return downloaded;
    }

    long bytes() {
        return bytes;
    }

    int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    int done() {
        return downloaded + failed();
    }

    /** {@code 2 failed: 1 HTTP 418, 1 timeout}, or empty. */
    String failureSummary() {
        if (failures.isEmpty()) {
            return "";
        }
        return failed() + " failed: " + failures.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
