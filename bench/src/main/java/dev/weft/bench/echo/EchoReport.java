package dev.weft.bench.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The echo table, for the terminal and as Markdown to paste into a note. The ratio column divides a row's CPU per
 * request by its baseline's in the same cell (same size, same connections, same run), so it reads as "times raw
 * Netty's cost on this transport"; below 1.00 the row is cheaper.
 */
final class EchoReport {
    /** The bars, at 1 KiB and 100 connections: CPU per request at most this many times raw Netty's. */
    private static final int BAR_SIZE = 1024;
    private static final int BAR_CONNECTIONS = 100;
    private static final double PROTOCOL_BAR = 1.1;
    private static final double STREAMS_BAR = 1.3;
    /** Other processes took more than this share of the server's core: the verdict would be about them, not us. */
    private static final double DISTURBED = 0.10;

    private static final String CONSOLE_FORMAT = "%-22s %6s %5s %9s %8s %8s %10s %5s %5s %6s %6s %6s  %s%n";

    private EchoReport() {
    }

    static String consoleHeader() {
        return String.format(Locale.ROOT, CONSOLE_FORMAT, "server", "size", "conns", "req/s", "p50 us", "p99 us",
                "cpu us/req", "cpu%", "jit%", "load%", "other%", "ratio", "");
    }

    /** One row for the terminal; the ratio is left blank while the baseline has not run yet. */
    static String consoleLine(EchoRow row, List<EchoRow> all) {
        if (!row.hasNumbers()) {
            return String.format(Locale.ROOT, CONSOLE_FORMAT, row.server(), row.size(), row.connections(),
                    "", "", "", "", "", "", "", "", "", row.note() != null ? row.note() : "no replies");
        }
        OptionalDouble ratio = ratio(row, all);
        return String.format(Locale.ROOT, CONSOLE_FORMAT, row.server(), row.size(), row.connections(),
                String.format(Locale.ROOT, "%.0f", row.load().requestsPerSecond()),
                String.format(Locale.ROOT, "%.0f", row.load().p50Micros()),
                String.format(Locale.ROOT, "%.0f", row.load().p99Micros()),
                String.format(Locale.ROOT, "%.2f", row.cpuPerRequest()),
                String.format(Locale.ROOT, "%.0f", row.cpuShare() * 100),
                String.format(Locale.ROOT, "%.1f", row.jitShare() * 100),
                String.format(Locale.ROOT, "%.0f", row.loadShare() * 100),
                String.format(Locale.ROOT, "%.0f", row.othersShare() * 100),
                ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "",
                (row.baseline().equals(row.server()) ? "" : "vs " + row.baseline())
                        + (row.cpuRuns().isEmpty() ? "" : "  rounds: " + rounds(row)));
    }

    /** CPU per request over the baseline's in the same cell, if both have numbers. */
    static OptionalDouble ratio(EchoRow row, List<EchoRow> all) {
        return ratio(row, row.baseline(), all);
    }

    /** CPU per request over the named row's in the same cell, if both have numbers. */
    static OptionalDouble ratio(EchoRow row, String over, List<EchoRow> all) {
        if (!row.hasNumbers()) {
            return OptionalDouble.empty();
        }
        for (EchoRow other : all) {
            if (other.server().equals(over) && other.sameCell(row) && other.hasNumbers()) {
                return OptionalDouble.of(row.cpuPerRequest() / other.cpuPerRequest());
            }
        }
        return OptionalDouble.empty();
    }

    /** Whether the row or its baseline ran while other processes took a real share of the server's core. */
    private static boolean disturbed(EchoRow row, List<EchoRow> all) {
        for (EchoRow other : all) {
            if ((other == row || other.server().equals(row.baseline()) && other.sameCell(row)) && other.hasNumbers()
                    && other.othersShare() > DISTURBED) {
                return true;
            }
        }
        return false;
    }

    /** The whole run as Markdown: where it ran, the table, and the bars. */
    static String markdown(List<String> header, List<EchoRow> rows) {
        StringBuilder md = new StringBuilder("# Echo benchmark\n\n");
        for (String line : header) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\n| server | size | conns | req/s | p50 µs | p99 µs | server CPU µs/req | server CPU % "
                + "| JIT % of it | load gen. CPU % | others on server core % | CPU/req ÷ baseline | baseline "
                + "| CPU/req ÷ C epoll | CPU µs/req of each round |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (EchoRow row : rows) {
            if (!row.hasNumbers()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | | | | | | | | | %s | | |%n", row.server(),
                        row.size(), row.connections(), row.note() != null ? row.note() : "no replies",
                        row.baseline()));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.0f | %.2f | %.0f | %.1f | %.0f | %.0f | %s | %s | %s | %s |%n",
                    row.server(), row.size(), row.connections(), row.load().requestsPerSecond(),
                    row.load().p50Micros(), row.load().p99Micros(), row.cpuPerRequest(), row.cpuShare() * 100,
                    row.jitShare() * 100, row.loadShare() * 100, row.othersShare() * 100,
                    twoPlaces(ratio(row, rows)), row.baseline(), twoPlaces(ratio(row, EchoServers.C_FLOOR, rows)),
                    rounds(row)));
        }
        md.append(bars(rows));
        return md.toString();
    }

    private static String twoPlaces(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "–";
    }

    /** Every round's CPU per request, in the order run ("failed" for one without numbers), or blank for one round. */
    private static String rounds(EchoRow row) {
        return String.join(" ", row.cpuRuns().stream()
                .map(v -> v.isNaN() ? "failed" : String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    /** The bars for the Weft rows on Netty's transports, at 1 KiB and 100 connections, if that cell ran. */
    static String bars(List<EchoRow> rows) {
        List<String> lines = new ArrayList<>();
        for (EchoRow row : rows) {
            if (row.size() != BAR_SIZE || row.connections() != BAR_CONNECTIONS || !row.server().startsWith("weft-")
                    || !row.baseline().startsWith("netty-")) {
                continue;
            }
            double bar = row.server().endsWith("-protocol") ? PROTOCOL_BAR : STREAMS_BAR;
            OptionalDouble ratio = ratio(row, rows);
            String verdict;
            if (ratio.isEmpty()) {
                verdict = row.note() != null ? row.note() : "no baseline";
            } else if (disturbed(row, rows)) {
                verdict = "disturbed: other processes took over 10% of the server core; rerun on a quiet machine";
            } else {
                verdict = ratio.getAsDouble() <= bar ? "met" : "missed";
            }
            lines.add(String.format(Locale.ROOT, "| %s | %s | ≤ %.1f | %s |%n", row.server(),
                    ratio.isPresent() ? String.format(Locale.ROOT, "%.2f", ratio.getAsDouble()) : "–", bar, verdict));
        }
        if (lines.isEmpty()) {
            return "";
        }
        return "\n## Bars (1 KiB, 100 connections: CPU per request ÷ raw Netty on the same transport)\n\n"
                + "| row | ratio | bar | |\n|---|---:|---:|---|\n" + String.join("", lines);
    }
}
