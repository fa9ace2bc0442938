package dev.weft.bench.fib;

import dev.weft.bench.WeftServerProcess;
import dev.weft.bench.echo.Args;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.http.PoolLimits;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft bench fib}: what a CPU-heavy request costs the fast ones. {@code weft fib-server} runs in a process of its
 * own, once computing {@code /fib/N} on an executor ({@code runInExecutor}) and once on the loop ({@code --on-loop});
 * against each, {@code --slow} tasks of this JVM ask {@code /fib/N} over and over while one task asks {@code /fast}
 * one request after the other, {@code --requests} times after {@code --warmup}, its latencies in an HdrHistogram.
 * Prints p50, p99, p99.9 and the maximum of the fast requests for both, and writes them to {@code --out}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.fib.FibBench [--n 30] [--slow 2] [--requests 2000]
 *     [--warmup 500] [--weft-jar samples/target/weft.jar] [--out bench/results]
 * </pre>
 */
public final class FibBench {
    private FibBench() {
    }

    /** The fast requests' latencies against one server. */
    private record Row(String server, Histogram fast, long slowAnswered) {
        String line() {
            return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %d |", server, ms(50), ms(99),
                    ms(99.9), fast.getMaxValue() / 1e6, slowAnswered);
        }

        double ms(double percentile) {
            return fast.getValueAtPercentile(percentile) / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        int n = options.integer("n", 30);
        int slow = options.integer("slow", 2);
        int requests = options.integer("requests", 2000);
        int warmup = options.integer("warmup", 500);
        int port = options.integer("port", 7491);
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path outDir = Path.of(options.text("out", "bench/results"));
        List<Row> rows = new ArrayList<>();
        for (boolean onLoop : new boolean[] {false, true}) {
            List<String> command = new ArrayList<>(List.of("fib-server", "--port", String.valueOf(port)));
            if (onLoop) {
                command.add("--on-loop");
            }
            try (WeftServerProcess server = WeftServerProcess.start(weftJar, -1, "fib server (", command)) {
                rows.add(measure(onLoop ? "on the loop (--on-loop)" : "on an executor (runInExecutor)",
                        "http://127.0.0.1:" + port, n, slow, requests, warmup));
                System.out.println(rows.getLast().line());
            }
        }
        String report = "# Fib server benchmark, " + LocalDate.now() + "\n\n"
                + "`./weft bench fib " + String.join(" ", args) + "`: `weft fib-server` in its own process; " + slow
                + " tasks ask `/fib/" + n + "` over and over while one task asks `/fast` " + requests + " times, one "
                + "after the other, after " + warmup + " untimed; the fast requests' latency, in ms. Machine: "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", JDK " + System.getProperty("java.runtime.version") + ".\n\n"
                + "| /fib computed | p50 | p99 | p99.9 | max | /fib answered meanwhile |\n|---|---:|---:|---:|---:|---:|\n"
                + String.join("\n", rows.stream().map(Row::line).toList()) + "\n";
        Files.createDirectories(outDir);
        Path file = outDir.resolve("fib-" + LocalDate.now() + ".md");
        Files.writeString(file, report);
        System.out.println("\n" + report + "\nreport: " + file);
    }

    private static Row measure(String name, String base, int n, int slow, int requests, int warmup)
            throws Exception {
        return Loops.run(() -> {
            try (HttpSession session = HttpSession.builder()
                    .poolLimits(PoolLimits.DEFAULTS.withPerHost(slow + 1).withTotal(slow + 1)).build()) {
                long[] slowAnswered = {0};
                List<Task<Void>> load = new ArrayList<>();
                for (int i = 0; i < slow; i++) {
                    load.add(Tasks.spawn(() -> {
                        while (true) {
                            get(session, base + "/fib/" + n);
                            slowAnswered[0]++;
                        }
                    }));
                }
                Histogram fast = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                for (int i = 0; i < warmup + requests; i++) {
                    long start = System.nanoTime();
                    get(session, base + "/fast");
                    if (i >= warmup) {
                        fast.recordValue(System.nanoTime() - start);
                    }
                }
                load.forEach(Task::cancel);
                for (Task<Void> task : load) {
                    try {
                        task.await();
                    } catch (java.util.concurrent.CancellationException expected) {
                        // stopped, as asked
                    }
                }
                return new Row(name, fast, slowAnswered[0]);
            }
        });
    }

    private static void get(HttpSession session, String url) throws IOException {
        try (HttpResponse response = session.get(url)) {
            response.raiseForStatus().bytes();
        }
    }
}
