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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A few echo servers measured side by side in one cell, for a ratio finer than {@link EchoBench}'s rounds can give:
 * every server is started at once, pinned to the same core, warmed up, and then loaded in turn for short windows,
 * cycle after cycle. A drift of the machine (a neighbour on the host, a change of clock) that moves a whole
 * three-round {@code EchoBench} row by 20–40% touches every server of a cycle alike, so each cycle gives one paired
 * ratio, and their median is the figure to judge a bar by.
 *
 * <pre>
 * taskset -c 1 java -cp bench/target/benchmarks.jar dev.weft.bench.echo.EchoInterleaved \
 *     --servers c-epoll,netty-iouring,weft-iouring-protocol [--size 1024] [--connections 100] [--warmup 10] \
 *     [--window 1.5] [--cycles 20] [--report bench/target/echo-interleaved.md] [--candidate-jar other/weft.jar]
 * </pre>
 *
 * <p>With {@code --candidate-jar}, each Weft row named is followed by its twin started from that jar, say a change
 * built apart from main, named {@code <row>@candidate} and measured against the row itself: a change's paired ratio.
 *
 * <p>Each row is compared, as in {@code EchoBench}, with its baseline and with the C floor, if they are among the
 * servers named. Each window opens fresh connections, so no connection lives longer than a window: a Netty io_uring
 * channel numbers its operations with a 16-bit counter whose first wrap (after 32,768 operations) takes a branch the
 * JIT had compiled as a trap, and the recompilation that follows landed in {@code EchoBench}'s measured window for some
 * rows and not others, by how many operations an echo costs them (bench/README.md, "Side by side, interleaved").
 */
public final class EchoInterleaved {
    /**
     * The shortest warm-up of each window: connections open and the first echoes go round before the CPU is read. As
     * every {@link EchoLoad} warm-up it then lasts until the server's JIT has been quiet for one check (0.5 s), so a
     * window starts 0.9 s after its connections, or 1.4 s if the JIT worked meanwhile.
     */
    private static final Duration RAMP = Duration.ofMillis(400);

    /** What one server did in one window, or in several added up. */
    private record Sample(long requests, double seconds, MeasuredWindow.Cpu cpu) {
        double cpuPerRequest() {
            return cpu.server() / (double) requests;
        }

        /** A share of the window's wall time, in percent, from CPU microseconds. */
        double percentOf(long cpuMicros) {
            return cpuMicros / 1e4 / seconds;
        }

        Sample plus(Sample other) {
            MeasuredWindow.Cpu a = cpu;
            MeasuredWindow.Cpu b = other.cpu;
            return new Sample(requests + other.requests, seconds + other.seconds, new MeasuredWindow.Cpu(
                    a.server() + b.server(), a.jit() + b.jit(), a.loadGenerator() + b.loadGenerator(),
                    a.othersOnServerCore() + b.othersOnServerCore()));
        }
    }

    private EchoInterleaved() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        int size = options.integer("size", 1024);
        int connections = options.integer("connections", 100);
        Duration warmup = options.seconds("warmup", 10);
        Duration window = options.seconds("window", 1.5);
        int cycles = options.integer("cycles", 20);
        if (cycles < 1 || size < 1 || connections < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("--cycles, --size and --connections take whole numbers of at least 1, "
                    + "--window a time above 0 s: not " + cycles + ", " + size + ", " + connections + ", " + window);
        }
        int core = options.integer("server-core", 0);
        int basePort = options.integer("port", 7460);
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path benchJar = Path.of(EchoInterleaved.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path report = Path.of(options.text("report", "bench/target/echo-interleaved.md"));
        String names = options.text("servers", null);
        if (names == null) {
            throw new IllegalArgumentException("--servers names two or more servers; known: "
                    + String.join(",", EchoServers.all(benchJar, weftJar).keySet()));
        }
        List<EchoServers.Spec> servers = EchoServers.select(EchoServers.all(benchJar, weftJar), names);
        String candidateJar = options.text("candidate-jar", null);
        if (candidateJar != null) {
            if (Files.isSameFile(Path.of(candidateJar), weftJar)) {
                throw new IllegalArgumentException("--candidate-jar is --weft-jar itself (" + weftJar + "): build the "
                        + "change apart and name its weft.jar");
            }
            servers = EchoServers.withCandidates(servers, weftJar, Path.of(candidateJar));
        }
        if (servers.size() < 2 || servers.stream().map(EchoServers.Spec::name).distinct().count() < servers.size()) {
            throw new IllegalArgumentException("--servers names two or more different servers, not '" + names + "'");
        }

        Map<String, ServerProcess> started = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        try {
            for (int i = 0; i < servers.size(); i++) {
                EchoServers.Spec spec = servers.get(i);
                started.put(spec.name(), ServerProcess.start(spec.name(),
                        spec.command(EchoServers.COMMON_JVM_FLAGS, basePort + i), core, basePort + i));
                samples.put(spec.name(), new ArrayList<>());
            }
            System.out.printf(Locale.ROOT, "%d servers on core %d, %d B x %d connections: %.0f s warm-up each, then "
                            + "%d cycles of a %.1f s window per server%n", servers.size(), core, size, connections,
                    warmup.toMillis() / 1e3, cycles, window.toMillis() / 1e3);
            for (int i = 0; i < servers.size(); i++) {
                ServerProcess process = started.get(servers.get(i).name());
                load(servers.get(i), process, basePort + i, connections, size, warmup, window,
                        new MeasuredWindow(process, core), "its warm-up");
            }
            for (int cycle = 0; cycle < cycles; cycle++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "cycle %2d:", cycle + 1));
                for (int k = 0; k < servers.size(); k++) {
                    // each cycle starts one server later, so a drift within a cycle does not always meet the same ones
                    int i = (cycle + k) % servers.size();
                    EchoServers.Spec spec = servers.get(i);
                    ServerProcess process = started.get(spec.name());
                    MeasuredWindow measured = new MeasuredWindow(process, core);
                    EchoLoad.Result result = load(spec, process, basePort + i, connections, size, RAMP, window,
                            measured, "cycle " + (cycle + 1));
                    Sample sample = new Sample(result.requests(), result.seconds(), measured.cpu());
                    samples.get(spec.name()).add(sample);
                    line.append(String.format(Locale.ROOT, "  %s %.2f", spec.name(), sample.cpuPerRequest()));
                }
                System.out.println(line);
            }
        } finally {
            for (ServerProcess process : started.values()) {
                try {
                    process.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("could not stop a server: " + e); // the others are still stopped
                }
            }
        }
        String table = table(servers, samples);
        System.out.println();
        System.out.print(table);
        Files.createDirectories(report.toAbsolutePath().getParent());
        List<String> head = new ArrayList<>(List.of("command: `taskset -c 1 java -cp bench/target/benchmarks.jar "
                + EchoInterleaved.class.getName() + " " + String.join(" ", args) + "`",
                "date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        head.addAll(EchoBench.machine(core));
        if (candidateJar != null) {
            head.add("`@candidate` rows: " + Path.of(candidateJar).toAbsolutePath() + "; the other Weft rows: "
                    + weftJar.toAbsolutePath());
        }
        head.add("server JVM flags (every Java row): `" + String.join(" ", EchoServers.COMMON_JVM_FLAGS) + "`");
        head.add(String.format(Locale.ROOT, "%d B x %d connections; every server started once, warmed up %.0f s, then "
                        + "%d cycles of a %.1f s window each, on fresh connections", size, connections,
                warmup.toMillis() / 1e3, cycles, window.toMillis() / 1e3));
        Files.writeString(report, "# Echo servers side by side, interleaved\n\n"
                + head.stream().map(line -> "- " + line + "\n").collect(Collectors.joining()) + "\n" + table);
        System.out.println("\nMarkdown report: " + report);
    }

    /**
     * Per server: CPU per echo over all its windows, and against its baseline (raw Netty on the same transport, plain
     * virtual threads for vthreads, as in {@code EchoBench}; for an {@code @candidate} row, the row it is a twin of)
     * and the C floor, where those ran: the ratio of the totals, and the median with quartiles of the cycles' paired
     * ratios.
     */
    private static String table(List<EchoServers.Spec> servers, Map<String, List<Sample>> samples) {
        StringBuilder out = new StringBuilder("| server | echoes/s | server CPU % | JIT % | load gen. % "
                + "| others on core % | CPU µs/echo | ÷ baseline: totals, paired median [p25, p75] "
                + "| ÷ C epoll: totals, paired median |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (EchoServers.Spec spec : servers) {
            List<Sample> own = samples.get(spec.name());
            Sample total = sum(own);
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f | %.0f | %.1f | %.2f | %s | %s |%n",
                    spec.name(), total.requests() / total.seconds(), total.percentOf(total.cpu().server()),
                    100.0 * total.cpu().jit() / total.cpu().server(), total.percentOf(total.cpu().loadGenerator()),
                    total.percentOf(total.cpu().othersOnServerCore()), total.cpuPerRequest(),
                    against(spec.baseline(), own, samples, true), against(EchoServers.C_FLOOR, own, samples, false)));
        }
        return out.toString();
    }

    /** This server's CPU per echo divided by another's, if that one ran and is not this one. */
    private static String against(String other, List<Sample> own, Map<String, List<Sample>> samples,
                                  boolean quartiles) {
        List<Sample> theirs = samples.get(other);
        if (theirs == null || theirs == own) {
            return "";
        }
        double[] paired = new double[own.size()];
        for (int cycle = 0; cycle < own.size(); cycle++) {
            paired[cycle] = own.get(cycle).cpuPerRequest() / theirs.get(cycle).cpuPerRequest();
        }
        Arrays.sort(paired);
        String median = String.format(Locale.ROOT, "%.2f, %.2f", sum(own).cpuPerRequest() / sum(theirs).cpuPerRequest(),
                quantile(paired, 0.5));
        return quartiles ? median + String.format(Locale.ROOT, " [%.2f, %.2f] ÷ %s", quantile(paired, 0.25),
                quantile(paired, 0.75), other) : median;
    }

    private static Sample sum(List<Sample> samples) {
        return samples.stream().reduce(Sample::plus).orElseThrow();
    }

    /** The value at quantile q of sorted values, interpolated between the two nearest. */
    private static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
    }

    /** One load of one server; a failure names the server, when it came, and how the server ended if it did. */
    private static EchoLoad.Result load(EchoServers.Spec spec, ServerProcess process, int port, int connections,
                                        int size, Duration warmup, Duration measured, MeasuredWindow window,
                                        String when) throws IOException {
        try {
            return EchoLoad.run(new InetSocketAddress("127.0.0.1", port), connections, size, warmup, measured, window);
        } catch (IOException | RuntimeException e) {
            throw new IOException(spec.name() + " failed in " + when + ": " + e.getMessage() + process.postMortem(), e);
        }
    }
}
