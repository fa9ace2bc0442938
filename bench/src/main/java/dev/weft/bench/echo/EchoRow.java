package dev.weft.bench.echo;

/**
 * One cell of the echo table: a server at one message size and connection count, measured or not.
 *
 * @param cpu  CPU times over the measured window: the server's (and of that the JIT's), the load generator's, and
 *             other processes' on the server's core
 * @param note      why there are no numbers ("unavailable: ...", "failed: ..."), or null when measured
 */
record EchoRow(String server, String baseline, int size, int connections, EchoLoad.Result load, MeasuredWindow.Cpu cpu,
               String note) {

    static EchoRow measured(EchoServers.Spec spec, int size, int connections, EchoLoad.Result load,
                            MeasuredWindow.Cpu cpu) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, load, cpu, null);
    }

    static EchoRow missing(EchoServers.Spec spec, int size, int connections, String note) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, null, MeasuredWindow.Cpu.NONE, note);
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
