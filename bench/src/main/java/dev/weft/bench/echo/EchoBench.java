package dev.weft.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The echo benchmark, every server side by side in one run: each server in its own JVM pinned to one core (0 by
 * default), the load generator (this process, pinned to the other core by the command below) driving it with one
 * message outstanding per connection. For every message size and connection count, each server is started afresh,
 * warmed up, and measured: requests/s, p50/p99 latency, the server's CPU time per request, and that CPU time over
 * its baseline's (raw Netty on the same transport, or the plain virtual-thread server).
 *
 * <pre>
 * taskset -c 1 java -cp bench/target/benchmarks.jar dev.weft.bench.echo.EchoBench [--servers netty-nio,weft-nio-protocol]
 *     [--sizes 1024,10240,102400] [--connections 10,100] [--warmup 3] [--seconds 5] [--rounds 1]
 *     [--report bench/target/echo-report.md]
 * </pre>
 *
 * With {@code --rounds N} every cell is run N times, round by round through the servers, and each row of the table is
 * the server's median round (see {@link EchoRow#median}). To judge a ratio in one cell more finely than rounds can on
 * a machine whose speed drifts, measure that cell with {@link EchoInterleaved}.
 *
 * The Weft rows need {@code samples/target/weft.jar}; run from the repository root. A row whose server exits before
 * it listens (its backend is missing or cannot run here) is reported as unavailable and the run goes on.
 */
public final class EchoBench {
    /** Seconds to start a server JVM and stop it, for the estimate printed at the start. */
    private static final double START_STOP_SECONDS = 1.5;

    private EchoBench() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        Duration warmup = options.seconds("warmup", 3);
        Duration measured = options.seconds("seconds", 5);
        List<Integer> sizes = integers(options.text("sizes", "1024,10240,102400"));
        List<Integer> connections = integers(options.text("connections", "10,100"));
        int core = options.integer("server-core", 0);
        int basePort = options.integer("port", 7400);
        List<String> jvmFlags = options.text("jvm", null) == null ? EchoServers.COMMON_JVM_FLAGS
                : Arrays.asList(options.text("jvm", "").trim().split("\\s+"));
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path benchJar = Path.of(EchoBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<EchoServers.Spec> servers = EchoServers.select(EchoServers.all(benchJar, weftJar),
                options.text("servers", "all"));
        Path report = Path.of(options.text("report", "bench/target/echo-report.md"));
        int rounds = options.integer("rounds", 1);
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds takes a whole number of at least 1, not " + rounds);
        }

        int runs = sizes.size() * connections.size() * servers.size() * rounds;
        double estimate = runs * (warmup.toMillis() / 1e3 + measured.toMillis() / 1e3 + START_STOP_SECONDS);
        System.out.printf(Locale.ROOT, "echo benchmark: %d servers x %d sizes x %d connection counts x %d rounds = %d "
                        + "runs, about %.0f min (%.0f s warm-up + %.0f s measured each)%n", servers.size(), sizes.size(),
                connections.size(), rounds, runs, estimate / 60, warmup.toMillis() / 1e3, measured.toMillis() / 1e3);
        if (Runtime.getRuntime().availableProcessors() != 1) {
            System.out.println("warning: the load generator is not pinned to one core; run it under taskset -c 1");
        }
        if (!Files.exists(weftJar)) {
            System.out.println("warning: " + weftJar + " is missing, so the Weft rows are unavailable: build it with"
                    + " ./mvnw -q -B -pl samples -am package -DskipTests");
        }
        String loadAtStart = loadAverage();

        System.out.print(EchoReport.consoleHeader());
        List<EchoRow> rows = new ArrayList<>();
        Map<String, String> unavailable = new HashMap<>(); // a backend that cannot start once will not start later
        int run = 0;
        for (int size : sizes) {
            for (int conns : connections) {
                // Round by round through every server, so a drift of the machine touches all rows of a cell alike.
                Map<String, List<EchoRow>> cell = new LinkedHashMap<>();
                for (int round = 1; round <= rounds; round++) {
                    List<EchoRow> thisRound = new ArrayList<>();
                    for (EchoServers.Spec server : servers) {
                        int port = basePort + run++ % 50; // a fresh port per run: no leftover of the last server answers
                        EchoRow row = unavailable.containsKey(server.name())
                                ? EchoRow.missing(server, size, conns, unavailable.get(server.name()))
                                : measure(server, weftJar, jvmFlags, core, port, size, conns, warmup, measured);
                        if (row.note() != null && row.note().startsWith("unavailable")) {
                            unavailable.put(server.name(), row.note());
                        }
                        thisRound.add(row);
                        cell.computeIfAbsent(server.name(), name -> new ArrayList<>()).add(row);
                        System.out.println(EchoReport.consoleLine(row, thisRound).stripTrailing()
                                + (rounds > 1 ? "  round " + round + "/" + rounds : ""));
                        System.out.flush();
                    }
                }
                cell.values().forEach(serverRounds -> rows.add(rounds > 1 ? EchoRow.median(serverRounds)
                        : serverRounds.getFirst()));
            }
        }

        System.out.println();
        System.out.println("ratio = server CPU us/req / its baseline's in the same cell (raw Netty on the same "
                + "transport; plain-vthreads for the vthreads rows)"
                + (rounds > 1 ? "; each row is the median of its " + rounds + " rounds" : ""));
        System.out.print(EchoReport.consoleHeader());
        rows.forEach(row -> System.out.print(EchoReport.consoleLine(row, rows)));
        System.out.print(EchoReport.bars(rows));
        Files.createDirectories(report.toAbsolutePath().getParent());
        List<String> header = new ArrayList<>(header(args, jvmFlags, core, warmup, measured, rounds));
        header.add("machine load average (1, 5, 15 min) at start: " + loadAtStart + "; at end: " + loadAverage()
                + " (above ~2 on 2 cores, other processes competed: see the last columns)");
        Files.writeString(report, EchoReport.markdown(header, rows));
        System.out.println("\nMarkdown report: " + report);
    }

    /** Start one server, warm it up and measure it on the same connections; stop it, whatever happens. */
    private static EchoRow measure(EchoServers.Spec server, Path weftJar, List<String> jvmFlags, int core, int port,
                                   int size, int conns, Duration warmup, Duration measured) {
        if (server.name().startsWith("weft-") && !Files.exists(weftJar)) {
            return EchoRow.missing(server, size, conns, "unavailable: " + weftJar + " is missing");
        }
        try (ServerProcess process = ServerProcess.start(server.name(), server.command(jvmFlags, port), core, port)) {
            MeasuredWindow window = new MeasuredWindow(process, core);
            EchoLoad.Result result;
            try {
                result = EchoLoad.run(new InetSocketAddress("127.0.0.1", port), conns, size, warmup, measured, window);
            } catch (IOException | RuntimeException e) {
                return EchoRow.missing(server, size, conns, "failed: " + e.getMessage() + process.postMortem());
            }
            return EchoRow.measured(server, size, conns, result, window.cpu());
        } catch (ServerProcess.UnavailableException e) {
            return EchoRow.missing(server, size, conns, "unavailable: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return EchoRow.missing(server, size, conns, "failed: " + e.getMessage());
        }
    }

    /** The lines that say where and how the run was made, for the report's head. */
    private static List<String> header(String[] args, List<String> jvmFlags, int core, Duration warmup,
                                       Duration measured, int rounds) {
        List<String> lines = new ArrayList<>();
        lines.add("command: `taskset -c 1 java -cp bench/target/benchmarks.jar " + EchoBench.class.getName() + " "
                + String.join(" ", args) + "`");
        lines.add("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        lines.addAll(machine(core));
        lines.add("server JVM flags (every row): `" + String.join(" ", jvmFlags) + "`");
        lines.add("each server started afresh per cell: at least " + warmup.toMillis() / 1e3 + " s warm-up (longer,"
                + " up to " + EchoLoad.MAX_WARMUP_FACTOR + "x, until its JIT is quiet), then "
                + measured.toMillis() / 1e3 + " s measured on the same connections"
                + (rounds > 1 ? "; " + rounds + " rounds through every server, each row its median round" : ""));
        return lines;
    }

    /** The JDK, kernel and CPU the run was made with, for a report's head. */
    static List<String> machine(int serverCore) {
        String cpu = "unknown";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the rest of the header still says enough
        }
        return List.of(
                "JDK: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                "kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
                "CPU: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " core(s) for the load generator,"
                        + " server pinned to core " + serverCore);
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static List<Integer> integers(String list) {
        List<Integer> values = new ArrayList<>();
        for (String item : list.split(",")) {
            values.add(Integer.parseInt(item.trim()));
        }
        return values;
    }
}
