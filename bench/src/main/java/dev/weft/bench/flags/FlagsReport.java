package dev.weft.bench.flags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The flags benchmark's figures as they come in, run after run, and what is made of them: progress lines, the
 * Markdown report (medians, ratios, the bars), and the charts' values.
 */
final class FlagsReport {
    private static final String WRK = "wrk -t1 -c20 (C, nginx's ceiling)";

    /** One client's runs against nginx: warm (default JIT, then C1 only) and cold flags/s (null where a run failed). */
    private record Throughput(boolean isWeft, List<Double> warm, List<Double> warmC1, List<Double> cold) {
    }

    /** One client's runs against the slow flag server: wall seconds and the longest delay, per run. */
    private record Latency(boolean isWeft, List<Double> seconds, List<Double> longest) {
        List<Double> ratios() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < seconds.size(); i++) {
                if (seconds.get(i) != null && longest.get(i) != null && longest.get(i) > 0) {
                    ratios.add(seconds.get(i) * 1000 / longest.get(i));
                }
            }
            return ratios;
        }
    }

    private final String machine;
    private final int runs;
    private final int repeat;
    private final int warmup;
    private final int coldRepeat;
    private final int concurrency;
    private final String delay;
    private final String arguments;
    private final Map<String, Throughput> throughput = new LinkedHashMap<>();
    private final Map<String, Latency> latency = new LinkedHashMap<>();

    FlagsReport(String machine, int runs, int repeat, int warmup, int coldRepeat, int concurrency, String delay,
                String arguments) {
        this.machine = machine;
        this.runs = runs;
        this.repeat = repeat;
        this.warmup = warmup;
        this.coldRepeat = coldRepeat;
        this.concurrency = concurrency;
        this.delay = delay;
        this.arguments = arguments;
    }

    /** Record a client's warm (both JITs) and cold results against nginx (null: failed); returns the progress line. */
    String throughput(int run, String client, boolean isWeft, FlagClient.Result warm, FlagClient.Result warmC1,
                      FlagClient.Result cold) {
        Throughput row = throughput.computeIfAbsent(client, c -> new Throughput(isWeft, new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>()));
        row.warm.add(warm == null ? null : warm.flagsPerSecond());
        row.warmC1.add(warmC1 == null ? null : warmC1.flagsPerSecond());
        row.cold.add(cold == null ? null : cold.flagsPerSecond());
        return String.format(Locale.ROOT, "run %d, nginx: %-30s warm %8s flags/s, warm C1 only %8s, cold %8s%n", run,
                client, number(row.warm.getLast()), number(row.warmC1.getLast()), number(row.cold.getLast()));
    }

    /** Record wrk's requests/s against nginx; returns the progress line. */
    String wrk(int run, double requestsPerSecond) {
        Throughput row = throughput.computeIfAbsent(WRK, c -> new Throughput(false, new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>()));
        row.warm.add(requestsPerSecond);
        return String.format(Locale.ROOT, "run %d, nginx: %-30s %8s requests/s%n", run, WRK, number(requestsPerSecond));
    }

    /** Record a client's round against the slow server (null: failed); returns the progress line. */
    String latency(int run, String client, boolean isWeft, FlagClient.Result result) {
        Latency row = latency.computeIfAbsent(client, c -> new Latency(isWeft, new ArrayList<>(), new ArrayList<>()));
        row.seconds.add(result == null ? null : result.seconds());
        row.longest.add(result == null || result.longestDelay() < 0 ? null : (double) result.longestDelay());
        return String.format(Locale.ROOT, "run %d, delays: %-30s %s s, longest delay %s ms%n", run, client,
                result == null ? "failed" : String.format(Locale.ROOT, "%.2f", result.seconds()),
                row.longest.getLast() == null ? "?" : number(row.longest.getLast()));
    }

    Map<String, double[]> throughputChart() {
        Map<String, double[]> values = new LinkedHashMap<>();
        throughput.forEach((client, row) -> values.put(client, new double[] {nan(median(row.warm)),
                nan(median(row.warmC1)), nan(median(row.cold))}));
        return values;
    }

    Map<String, double[]> latencyChart() {
        Map<String, double[]> values = new LinkedHashMap<>();
        latency.forEach((client, row) -> values.put(client, new double[] {nan(median(row.ratios()))}));
        return values;
    }

    String markdown(String stem) {
        StringBuilder md = new StringBuilder();
        md.append("# Flags benchmark, ").append(stem.substring("flags-".length())).append("\n\n")
                .append("Machine: ").append(machine).append(". Command: `./weft bench flags ").append(arguments)
                .append("` (every client a `weft flags` process pinned to one core, the server pinned to the other). ")
                .append("Medians of ").append(runs).append(" runs.\n\n");
        md.append("## Throughput: nginx serving the flags\n\n")
                .append(String.format(Locale.ROOT, "20 flags × %d rounds after %d untimed rounds (warm), and × %d "
                        + "rounds in a fresh JVM (cold); concurrency %d. Warm twice: with the JVM's default tiered JIT, "
                        + "and with C1 alone (`-XX:TieredStopAtLevel=1`): on its one core a client shares the CPU with "
                        + "its JIT, and after %d rounds C2 is still compiling there. Ratios over the best baseline "
                        + "(the JDK client's best row) and over wrk, each within its JIT.%n%n", repeat, warmup,
                        coldRepeat, concurrency, warmup))
                .append("| client | warm flags/s | warm, C1 only | cold flags/s | warm / best baseline "
                        + "| warm / wrk | C1 only / best baseline | C1 only / wrk |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Double baseline = best(false, Throughput::warm);
        Double baselineC1 = best(false, Throughput::warmC1);
        Double wrk = throughput.containsKey(WRK) ? median(throughput.get(WRK).warm) : null;
        throughput.forEach((client, row) -> {
            boolean isWrk = client.equals(WRK);
            Double warm = median(row.warm);
            Double warmC1 = isWrk ? null : median(row.warmC1);
            md.append("| ").append(client).append(" | ").append(number(warm)).append(" | ")
                    .append(isWrk ? "" : number(warmC1)).append(" | ")
                    .append(isWrk ? "" : number(median(row.cold))).append(" | ")
                    .append(ratio(warm, baseline)).append(" | ").append(ratio(warm, wrk)).append(" | ")
                    .append(isWrk ? "" : ratio(warmC1, baselineC1)).append(" | ")
                    .append(isWrk ? "" : ratio(warmC1, wrk)).append(" |\n");
        });
        md.append("\n![throughput](").append(stem).append("-nginx.png)\n\n");
        md.append("## Latency-bound: the flag server with delays of ").append(delay).append(" ms\n\n")
                .append("20 flags, concurrency ").append(concurrency).append(", one round after one untimed round. ")
                .append("The longest delay is the longest the server said it added to a flag of the round ")
                .append("(`X-Flag-Delay`): a concurrent client can take no less.\n\n")
                .append("| client | wall time (s) | longest delay (ms) | wall / longest delay |\n")
                .append("|---|---:|---:|---:|\n");
        latency.forEach((client, row) -> md.append("| ").append(client).append(" | ")
                .append(decimal(median(row.seconds))).append(" | ").append(number(median(row.longest))).append(" | ")
                .append(decimal(median(row.ratios()))).append(" |\n"));
        md.append("\n![latency](").append(stem).append("-delays.png)\n\n");
        md.append("## The bars\n\n").append(bars(wrk));
        return md.toString();
    }

    private String bars(Double wrk) {
        StringBuilder bars = new StringBuilder();
        Double worstAsync = latency.values().stream().filter(Latency::isWeft).map(row -> median(row.ratios()))
                .filter(Objects::nonNull).max(Double::compare).orElse(null);
        bars.append("- Async wall time at most 1.1× the longest delay on every backend: worst ")
                .append(decimal(worstAsync)).append("× — ").append(worstAsync != null && worstAsync <= 1.1
                        ? "met" : "not met").append(".\n");
        for (var jit : List.<Map.Entry<String, Function<Throughput, List<Double>>>>of(
                Map.entry("default JIT", Throughput::warm), Map.entry("C1 only", Throughput::warmC1))) {
            Double weft = best(true, jit.getValue());
            Double baseline = best(false, jit.getValue());
            bars.append("- ").append(jit.getKey()).append(": Weft's best backend beats the thread pool and the JDK ")
                    .append("client on virtual threads, warm: ").append(ratio(weft, baseline))
                    .append(" the best of them — ").append(weft != null && baseline != null && weft > baseline
                            ? "met" : "not met").append("; it reaches at least half of wrk's requests/s: ")
                    .append(ratio(weft, wrk)).append(" — ").append(weft != null && wrk != null && weft >= wrk / 2
                            ? "met" : "not met").append(".\n");
        }
        return bars.toString();
    }

    /** The best warm median, by the given JIT's runs, among Weft's rows (true) or the JDK baselines (false). */
    private Double best(boolean weft, Function<Throughput, List<Double>> runs) {
        return throughput.entrySet().stream().filter(e -> !e.getKey().equals(WRK) && e.getValue().isWeft == weft)
                .map(e -> median(runs.apply(e.getValue()))).filter(Objects::nonNull).max(Double::compare)
                .orElse(null);
    }

    static Double median(List<Double> values) {
        List<Double> present = values.stream().filter(Objects::nonNull).sorted().toList();
        if (present.isEmpty()) {
            return null;
        }
        int middle = present.size() / 2;
        return present.size() % 2 == 1 ? present.get(middle) : (present.get(middle - 1) + present.get(middle)) / 2;
    }

    private static double nan(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static String number(Double value) {
        return value == null ? "failed" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String decimal(Double value) {
        return value == null ? "failed" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(Double value, Double over) {
        return value == null || over == null ? "" : String.format(Locale.ROOT, "%.2f×", value / over);
    }
}
