package dev.weft.bench.http;

/**
 * One timed run of one client: how many requests, over how much wall time, for how much of the client process's CPU
 * time (user + system, every thread).
 */
public record Measure(long requests, long wallNanos, long cpuNanos) {
    public double requestsPerSecond() {
        return requests * 1e9 / wallNanos;
    }

    double cpuMicrosPerRequest() {
        return cpuNanos / 1e3 / requests;
    }
}
