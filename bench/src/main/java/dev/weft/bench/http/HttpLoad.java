package dev.weft.bench.http;

import dev.weft.bench.echo.Args;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * One JVM client run of the HTTP benchmark, started by {@link HttpBench} pinned to its own core: the cold run (the
 * workload once, the JVM fresh, the client opened inside the measurement), then untimed warm-up runs of at least as
 * many requests, then the warm window: as many runs back to back as make at least {@code --warmup-requests}
 * requests. It prints one {@code RESULT <phase> <requests> <wall ns> <cpu ns>} line per timed window, and at the end
 * {@code TOTAL <requests>}, every request it made (so the harness can charge nginx's CPU time to them). CPU time is the
 * whole process's, every thread (the client's, the JIT's, the GC's), from {@code getProcessCpuTime}: on Linux the
 * same count as {@code /proc/self/stat}'s utime + stime, in 10 ms ticks. The warm window is long for that reason: a
 * single flags run (1,000 requests) lasts about ten ticks; twenty runs make the tick a half-percent error.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.http.HttpLoad --client weft-nio --workload 1k
 *     --base http://127.0.0.1:8080 [--requests 100000] [--flag-rounds 50] [--warmup-requests 20000]
 * </pre>
 */
public final class HttpLoad {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private HttpLoad() {
    }

    public static void main(String[] args) throws Exception {
        long cpuAtStart = OS.getProcessCpuTime();
        long wallAtStart = System.nanoTime();
        Args options = Args.parse(args);
        Workload workload = Workload.named(options.text("workload", "1k"), options.integer("requests", 100_000),
                options.integer("flag-rounds", 50));
        String base = options.text("base", null);
        if (base == null) {
            throw new IllegalArgumentException("--base is required: the server's URL, e.g. http://127.0.0.1:8080");
        }
        int warmup = Math.max(workload.requests(), options.integer("warmup-requests", 20_000));
        int runsPerWindow = Math.ceilDiv(warmup, workload.requests());
        LoadClient client = client(options.text("client", "weft-nio"));
        client.open(base, workload, batch -> {
            batch.run(workload.requests());
            report("cold", workload.requests(), System.nanoTime() - wallAtStart,
                    OS.getProcessCpuTime() - cpuAtStart);
            for (int done = 0; done < warmup; done += workload.requests()) {
                batch.run(workload.requests());
            }
            long cpu = OS.getProcessCpuTime();
            long wall = System.nanoTime();
            for (int run = 0; run < runsPerWindow; run++) {
                batch.run(workload.requests());
            }
            report("warm", (long) runsPerWindow * workload.requests(), System.nanoTime() - wall,
                    OS.getProcessCpuTime() - cpu);
            long runs = 1 + Math.ceilDiv(warmup, workload.requests()) + runsPerWindow;
            System.out.println("TOTAL " + runs * workload.requests());
        });
    }

    /** The client a row name stands for: {@code weft-<backend>}, {@code jdk} or {@code reactor-netty}. */
    static LoadClient client(String name) {
        if (name.startsWith("weft-")) {
            return WeftClient.on(name.substring("weft-".length()));
        }
        return switch (name) {
            case "jdk" -> new JdkClient();
            case "reactor-netty" -> new ReactorNettyClient();
            default -> throw new IllegalArgumentException("no client '" + name
                    + "'; known: weft-<backend>, jdk, reactor-netty");
        };
    }

    private static void report(String phase, long requests, long wallNanos, long cpuNanos) {
        System.out.printf(Locale.ROOT, "RESULT %s %d %d %d%n", phase, requests, wallNanos, cpuNanos);
        System.out.flush();
    }
}
