package dev.weft.bench.echo;

import java.util.Comparator;
import java.util.List;

/**
 * One cell of the echo table: a server at one message size and connection count, measured or not.
 *
 * @param cpu       CPU times over the measured window: the server's (and of that the JIT's), the load generator's,
 *                  and other processes' on the server's core
 * @param note      why there are no numbers ("unavailable: ...", "failed: ..."), or null when measured
 * @param cpuRuns   with {@code --rounds}, the CPU µs per request of every round in the order run (NaN for a round
 *                  without numbers), of which this row is the median; otherwise empty
 */
record EchoRow(String server, String baseline, int size, int connections, EchoLoad.Result load, MeasuredWindow.Cpu cpu,
               String note, List<Double> cpuRuns) {

    static EchoRow measured(EchoServers.Spec spec, int size, int connections, EchoLoad.Result load,
                            MeasuredWindow.Cpu cpu) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, load, cpu, null, List.of());
    }

    static EchoRow missing(EchoServers.Spec spec, int size, int connections, String note) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, null, MeasuredWindow.Cpu.NONE, note,
                List.of());
    }

    /**
     * The round whose CPU per request is the median of one server's rounds in one cell (the lower middle of an even
     * count), carrying every round's figure. A server restarted for each round gets its own JIT decisions, which moves
     * CPU per request by 10–40% between otherwise equal runs; the median of several is what a bar can be judged on.
     * Rounds without numbers are left out of the median (shown as NaN), and their note is kept only if no round has
     * numbers.
     */
    static EchoRow median(List<EchoRow> rounds) {
        List<EchoRow> measured = rounds.stream().filter(EchoRow::hasNumbers)
                .sorted(Comparator.comparingDouble(EchoRow::cpuPerRequest)).toList();
        if (measured.isEmpty()) {
            return rounds.getLast();
        }
        EchoRow middle = measured.get((measured.size() - 1) / 2);
        List<Double> runs = rounds.stream().map(row -> row.hasNumbers() ? row.cpuPerRequest() : Double.NaN).toList();
        return new EchoRow(middle.server, middle.baseline, middle.size, middle.connections, middle.load, middle.cpu,
                null, runs);
    }

    boolean hasNumbers() {
        return load != null && load.requests() > 0;
    }

    /** Server CPU microseconds per echoed request: what tells servers apart once the load generator saturates. */
    double cpuPerRequest() {
        return cpu.server() / (double) load.requests();
    }

    /** The share of one core the server used over the window: near 1.0, the server was the bottleneck. */
    double cpuShare() {
        return share(cpu.server());
    }

    /** The share of the window's server CPU time that went to the JIT compiler: near 0 after a long enough warm-up. */
    double jitShare() {
        return cpu.server() == 0 ? 0 : cpu.jit() / (double) cpu.server();
    }

    /** The share of one core the load generator used: near 1.0, it set the pace, not the server. */
    double loadShare() {
        return share(cpu.loadGenerator());
    }

    /** The share of the server's core that other processes took: above a few percent, the row is disturbed. */
    double othersShare() {
        return share(cpu.othersOnServerCore());
    }

    private double share(long micros) {
        return micros / (load.seconds() * 1e6);
    }

    boolean sameCell(EchoRow other) {
        return size == other.size && connections == other.connections;
    }
}
