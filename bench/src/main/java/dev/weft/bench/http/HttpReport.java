package dev.weft.bench.http;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP benchmark's table, CSV and the goals. Ratios are against Weft's best backend on the same workload:
 * the Weft row with the least warm CPU per request.
 */
final class HttpReport {
    private static final String HEADER_FORMAT = "%-15s %-6s %10s %10s %10s %10s %9s %9s %10s%n";

    private HttpReport() {
    }

    static String table(List<HttpRow> rows) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, HEADER_FORMAT, "client", "load",
                "warm req/s", "warm us/req", "cold req/s", "cold us/req", "cpu/best", "rps/best", "nginx us/req"));
        rows.forEach(row -> out.append(line(row, rows)));
        return out.toString();
    }

    /** One row of the table, its ratios against the best Weft row among {@code rows} (so far, while running). */
    static String line(HttpRow row, List<HttpRow> rows) {
        if (!row.ok()) {
            return String.format(Locale.ROOT, "%-15s %-6s %s%n", row.client(), row.workload(), row.note());
        }
        Optional<HttpRow> best = bestWeft(rows, row.workload());
        return String.format(Locale.ROOT, "%-15s %-6s %10.0f %10.1f %10.0f %10.1f %9s %9s %10.1f%n",
                row.client(), row.workload(), row.warm().requestsPerSecond(), row.warm().cpuMicrosPerRequest(),
                row.cold().requestsPerSecond(), row.cold().cpuMicrosPerRequest(),
                best.map(b -> ratio(row.warm().cpuMicrosPerRequest(), b.warm().cpuMicrosPerRequest())).orElse("-"),
                best.map(b -> ratio(row.warm().requestsPerSecond(), b.warm().requestsPerSecond())).orElse("-"),
                row.nginxMicrosPerRequest());
    }

    static String csv(List<HttpRow> rows) {
        StringBuilder out = new StringBuilder("client,workload,warm_requests,warm_req_per_s,warm_cpu_us_per_req,"
                + "cold_requests,cold_req_per_s,cold_cpu_us_per_req,nginx_cpu_us_per_req,note\n");
        for (HttpRow row : rows) {
            out.append(row.client()).append(',').append(row.workload()).append(',');
            if (row.ok()) {
                out.append(String.format(Locale.ROOT, "%d,%.1f,%.2f,%d,%.1f,%.2f,%.2f,", row.warm().requests(),
                        row.warm().requestsPerSecond(), row.warm().cpuMicrosPerRequest(), row.cold().requests(),
                        row.cold().requestsPerSecond(), row.cold().cpuMicrosPerRequest(), row.nginxMicrosPerRequest()));
            } else {
                out.append(",,,,,,,\"").append(row.note().replace('"', '\'')).append('"');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The three goals per workload, warm: met, missed, or cannot tell (a row is missing). */
    static String goals(List<HttpRow> rows) {
        StringBuilder out = new StringBuilder();
        for (String workload : rows.stream().map(HttpRow::workload).distinct().toList()) {
            Optional<HttpRow> best = bestWeft(rows, workload);
            if (best.isEmpty()) {
                out.append(workload).append(": no Weft row measured\n");
                continue;
            }
            double cpu = best.get().warm().cpuMicrosPerRequest();
            double rps = best.get().warm().requestsPerSecond();
            out.append(String.format(Locale.ROOT, "%s, Weft's best backend %s (%.1f us/req, %.0f req/s), warm:%n",
                    workload, best.get().client(), cpu, rps));
            out.append(goal(rows, workload, "reactor-netty", "CPU/req <= the Netty-based client's",
                    other -> cpu <= other.warm().cpuMicrosPerRequest(),
                    other -> ratio(cpu, other.warm().cpuMicrosPerRequest()) + "x"));
            out.append(goal(rows, workload, "jdk", "CPU/req <= 1/3 of the JDK client's",
                    other -> cpu <= other.warm().cpuMicrosPerRequest() / 3,
                    other -> ratio(cpu, other.warm().cpuMicrosPerRequest()) + "x"));
            out.append(goal(rows, workload, "wrk", "req/s >= 1/2 of wrk's",
                    other -> rps >= other.warm().requestsPerSecond() / 2,
                    other -> ratio(rps, other.warm().requestsPerSecond()) + "x"));
        }
        return out.toString();
    }

    private static String goal(List<HttpRow> rows, String workload, String client, String text,
                               java.util.function.Predicate<HttpRow> met,
                               java.util.function.Function<HttpRow, String> ratio) {
        Optional<HttpRow> other = rows.stream()
                .filter(r -> r.ok() && r.workload().equals(workload) && r.client().equals(client)).findFirst();
        return "  " + text + ": " + other.map(o -> (met.test(o) ? "met" : "MISSED") + " (" + ratio.apply(o) + ")")
                .orElse("cannot tell, no " + client + " row") + "\n";
    }

    private static Optional<HttpRow> bestWeft(List<HttpRow> rows, String workload) {
        return rows.stream().filter(r -> r.ok() && r.isWeft() && r.workload().equals(workload))
                .min(Comparator.comparingDouble(r -> r.warm().cpuMicrosPerRequest()));
    }

    private static String ratio(double value, double base) {
        return String.format(Locale.ROOT, "%.2f", value / base);
    }
}
