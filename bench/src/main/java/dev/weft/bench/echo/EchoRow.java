package dev.weft.bench.echo;

/**
 * One cell of the echo table: a server at one message size and connection count, measured or not.
 *
 * @param cpuMicros the server's user + system CPU time over the measured window
 * @param note      why there are no numbers ("unavailable: ...", "failed: ..."), or null when measured
 */
record EchoRow(String server, String baseline, int size, int connections, EchoLoad.Result load, long cpuMicros,
               String note) {

    static EchoRow measured(EchoServers.Spec spec, int size, int connections, EchoLoad.Result load, long cpuMicros) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, load, cpuMicros, null);
    }

    static EchoRow missing(EchoServers.Spec spec, int size, int connections, String note) {
        return new EchoRow(spec.name(), spec.baseline(), size, connections, null, 0, note);
    }

    boolean hasNumbers() {
        return load != null && load.requests() > 0;
    }

    /** Server CPU microseconds per echoed request: what tells servers apart once the load generator saturates. */
    double cpuPerRequest() {
        return cpuMicros / (double) load.requests();
    }

    /** The share of one core the server used over the window: near 1.0, the server was the bottleneck. */
    double cpuShare() {
        return cpuMicros / (load.seconds() * 1e6);
    }

    boolean sameCell(EchoRow other) {
        return size == other.size && connections == other.connections;
    }
}
