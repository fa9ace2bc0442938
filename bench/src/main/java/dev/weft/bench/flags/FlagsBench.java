package dev.weft.bench.flags;

import dev.weft.bench.WeftServerProcess;
import dev.weft.bench.echo.Args;
import dev.weft.bench.echo.EchoServers;
import dev.weft.bench.http.BenchNginx;
import dev.weft.bench.http.ClientProcess;
import dev.weft.bench.http.Measure;
import dev.weft.bench.http.Workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code weft bench flags}: Fluent Python's flag downloads, every way side by side in one run, each client a
 * {@code weft flags} process pinned to one core and the server pinned to the other. (a) Throughput: nginx serving
 * the flags, 20 flags × {@code --repeat} rounds after {@code --warmup} untimed ones (warm) and × {@code --cold-repeat}
 * rounds with none (cold), with {@code wrk -t1 -c20} as the C ceiling. (b) Latency-bound: the flag server with delays
 * drawn from {@code --delay} ms, one round of 20 after one warm-up round, each run's wall time held against the
 * longest delay the server said it added. Medians of {@code --runs} runs. Prints the tables and writes a Markdown
 * report with two charts to {@code --out}.
 *
 * <p>Warm figures come twice: with the JVM's default tiered JIT, and with its first tier alone
 * ({@code -XX:TieredStopAtLevel=1}, C1). A client pinned to one core shares that core with its JIT: after 500 rounds
 * (10,000 requests) C2 is still compiling the hot paths, on the core being measured, and its cost lands in the warm
 * figure; C1 compiles at once and then stays out of the way, at a lower peak. Every client runs both ways.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.flags.FlagsBench [--runs 3] [--repeat 500] [--warmup 500]
 *     [--cold-repeat 50] [--delay 50-500] [--concurrency 20] [--weft-jar samples/target/weft.jar] [--out bench/results]
 * </pre>
 */
public final class FlagsBench {
    private FlagsBench() {
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        int runs = options.integer("runs", 3);
        int repeat = options.integer("repeat", 500);
        int warmup = options.integer("warmup", 500);
        int coldRepeat = options.integer("cold-repeat", 50);
        int concurrency = options.integer("concurrency", 20);
        String delay = options.text("delay", "50-500");
        int serverCore = options.integer("server-core", 0);
        int clientCore = options.integer("client-core", 1);
        int port = options.integer("port", 7481);
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path outDir = Path.of(options.text("out", "bench/results"));
        List<String> jvmFlags = EchoServers.COMMON_JVM_FLAGS;
        List<String> c1Only = new ArrayList<>(jvmFlags);
        c1Only.add("-XX:TieredStopAtLevel=1");
        if (!Files.isRegularFile(weftJar)) {
            throw new IOException(weftJar + " is missing: build it with ./weft (or ./mvnw -pl samples -am package)");
        }
        String machine = Machine.describe();
        System.out.println("flags benchmark: server on core " + serverCore + ", clients on core " + clientCore
                + "; " + machine);

        FlagsReport report = new FlagsReport(machine, runs, repeat, warmup, coldRepeat, concurrency, delay,
                String.join(" ", args));
        try (BenchNginx nginx = BenchNginx.start(serverCore, port)) {
            String flags = nginx.baseUrl() + "/flags";
            for (int run = 1; run <= runs; run++) {
                for (FlagClient client : FlagClient.ALL) {
                    System.out.print(report.throughput(run, client.name(), client.isWeft(),
                            attempt(() -> client.run(weftJar, jvmFlags, clientCore, flags, repeat, warmup,
                                    concurrency)),
                            attempt(() -> client.run(weftJar, c1Only, clientCore, flags, repeat, warmup,
                                    concurrency)),
                            attempt(() -> client.run(weftJar, jvmFlags, clientCore, flags, coldRepeat, 0,
                                    concurrency))));
                }
                Workload twenty = new Workload("flags", FlagClient.POPULOUS_PATHS, FlagClient.POPULOUS_PATHS.size(),
                        concurrency);
                Measure wrk = ClientProcess.wrk(twenty, nginx.baseUrl(), 5, clientCore);
                System.out.print(report.wrk(run, wrk.requestsPerSecond()));
            }
        }
        String slowServer = "http://127.0.0.1:" + (port + 1);
        try (WeftServerProcess server = WeftServerProcess.start(weftJar, serverCore, "flag server (",
                List.of("flag-server", "--port", String.valueOf(port + 1), "--delay", delay, "--seed", "1"))) {
            for (int run = 1; run <= runs; run++) {
                for (FlagClient client : FlagClient.ALL) {
                    FlagClient.Result result = attempt(() -> client.run(weftJar, jvmFlags, clientCore,
                            slowServer, 1, 1, concurrency));
                    System.out.print(report.latency(run, client.name(), client.isWeft(), result));
                }
            }
        }
        Files.createDirectories(outDir);
        String stem = "flags-" + LocalDate.now();
        Path markdown = outDir.resolve(stem + ".md");
        Files.writeString(markdown, report.markdown(stem));
        FlagsChart.bars(outDir.resolve(stem + "-nginx.png"), "Flags from nginx, warm and cold (medians)",
                "flags/s", report.throughputChart(), "warm", "warm, C1 only", "cold");
        FlagsChart.bars(outDir.resolve(stem + "-delays.png"), "Flags from a server with " + delay + " ms delays: "
                + "wall time over the longest delay (medians)", "wall time / longest delay", report.latencyChart(),
                "ratio");
        System.out.println();
        System.out.print(report.markdown(stem));
        System.out.println("\nreport: " + markdown);
    }

    /** What the call measured, or null if the client failed (the failure is printed; the row says so). */
    private static <T> T attempt(Measurement<T> measurement) {
        try {
            return measurement.run();
        } catch (IOException e) {
            System.out.println("  failed: " + e.getMessage());
            return null;
        }
    }

    @FunctionalInterface
    private interface Measurement<T> {
        T run() throws IOException;
    }
}
