package dev.weft.bench.soak;

import java.util.Locale;

/**
 * One soak's result: the load it carried, its latency percentiles over the whole measured window, and the footprint
 * at the window's start and end.
 */
record SoakRow(String name, double requestsPerSecond, double p50Micros, double p99Micros, double p999Micros,
               Footprint start, Footprint end) {

    /**
     * What grew between start and end, or "no": descriptors and tasks must come back exactly; heap and RSS may move
     * with the collector and the JIT, so only growth beyond a quarter (and beyond 16 MiB) counts.
     */
    String grew() {
        StringBuilder grew = new StringBuilder();
        if (end.fds() > start.fds()) {
            grew.append("FDs ");
        }
        if (end.tasks() > start.tasks()) {
            grew.append("tasks ");
        }
        if (end.heapBytes() > start.heapBytes() * 1.25 && end.heapBytes() - start.heapBytes() > 16L << 20) {
            grew.append("heap ");
        }
        if (end.rssKiB() > start.rssKiB() * 1.25 && end.rssKiB() - start.rssKiB() > 16L << 10) {
            grew.append("RSS ");
        }
        return grew.isEmpty() ? "no" : grew.toString().strip();
    }

    String markdown() {
        return String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s |", name, requestsPerSecond,
                p50Micros, p99Micros, p999Micros, start.cells(), end.cells(), grew());
    }

    static String header() {
        return "| row | req/s | p50 µs | p99 µs | p99.9 µs | RSS start | heap start | FDs start | tasks start "
                + "| RSS end | heap end | FDs end | tasks end | grew |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";
    }
}
