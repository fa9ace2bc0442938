package dev.weft.bench.http;

import dev.weft.bench.echo.Args;
import dev.weft.bench.echo.EchoServers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP client benchmark, every client side by side in one run: nginx (one worker) pinned to one core, each client
 * in a process of its own pinned to the other, one after the other. Each JVM client runs the workload cold (first, in
 * its fresh JVM), then untimed at least as many requests again, then warm over at least {@code --warmup-requests}
 * requests (see {@link HttpLoad}); wrk runs twice, the second run being its warm one. Reported per client and
 * workload: requests/s and the client process's CPU microseconds per request, and
 * both over Weft's best backend's (the Weft row with the least warm CPU per request).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.http.HttpBench [--clients all] [--workloads 1k,flags]
 *     [--requests 100000] [--flag-rounds 50] [--warmup-requests 20000] [--wrk-seconds 5]
 *     [--csv bench/target/http-report.csv]
 * </pre>
 */
public final class HttpBench {
    /** Every client, in the table's order. */
    static final List<String> CLIENTS = List.of("weft-nio", "weft-epoll", "weft-iouring", "weft-vthreads", "jdk",
            "reactor-netty", "wrk");

    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        int requests = options.integer("requests", 100_000);
        int flagRounds = options.integer("flag-rounds", 50);
        int warmup = options.integer("warmup-requests", 20_000);
        int wrkSeconds = options.integer("wrk-seconds", 5);
        int serverCore = options.integer("server-core", 0);
        int clientCore = options.integer("client-core", 1);
        int port = options.integer("port", 7480);
        List<String> clients = select(options.text("clients", "all"));
        List<Workload> workloads = new ArrayList<>();
        for (String name : options.text("workloads", "1k,flags").split(",")) {
            workloads.add(Workload.named(name.trim(), requests, flagRounds));
        }
        List<String> jvmFlags = options.text("jvm", null) == null ? EchoServers.COMMON_JVM_FLAGS
                : Arrays.asList(options.text("jvm", "").trim().split("\\s+"));
        Path benchJar = Path.of(HttpBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path csv = Path.of(options.text("csv", "bench/target/http-report.csv"));

        System.out.printf(Locale.ROOT, "HTTP client benchmark: nginx on core %d, clients on core %d; %s%n", serverCore,
                clientCore, workloads.stream().map(w -> w.name() + " = " + w.requests() + " requests at concurrency "
                        + w.concurrency()).toList());
        List<HttpRow> rows = new ArrayList<>();
        try (BenchNginx nginx = BenchNginx.start(serverCore, port)) {
            for (Workload workload : workloads) {
                for (String client : clients) {
                    HttpRow row = measure(client, workload, nginx, jvmFlags, benchJar, warmup, wrkSeconds,
                            clientCore);
                    rows.add(row);
                    System.out.print(HttpReport.line(row, rows));
                    System.out.flush();
                }
            }
        }
        System.out.println();
        System.out.println("command: java -cp bench/target/benchmarks.jar " + HttpBench.class.getName() + " "
                + String.join(" ", args));
        System.out.println("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "; JDK "
                + System.getProperty("java.runtime.version") + "; kernel " + System.getProperty("os.version")
                + "; client JVM flags: " + String.join(" ", jvmFlags));
        System.out.println("us/req = the client process's CPU time (user + system, all threads) per request; "
                + "cpu/best and rps/best = warm, over Weft's best backend's");
        System.out.print(HttpReport.table(rows));
        System.out.println();
        System.out.print(HttpReport.goals(rows));
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, HttpReport.csv(rows));
        System.out.println("\nCSV: " + csv);
    }

    private static HttpRow measure(String client, Workload workload, BenchNginx nginx, List<String> jvmFlags,
                                   Path benchJar, int warmup, int wrkSeconds, int core) {
        try {
            long nginxCpu = nginx.cpuNanos();
            ClientProcess.Runs runs;
            if (client.equals("wrk")) {
                Measure cold = ClientProcess.wrk(workload, nginx.baseUrl(), wrkSeconds, core);
                Measure warm = ClientProcess.wrk(workload, nginx.baseUrl(), wrkSeconds, core);
                runs = new ClientProcess.Runs(cold, warm, cold.requests() + warm.requests());
            } else {
                runs = ClientProcess.jvm(jvmFlags, benchJar, client, workload, nginx.baseUrl(), warmup, core);
            }
            double nginxMicros = (nginx.cpuNanos() - nginxCpu) / 1e3 / runs.totalRequests();
            return HttpRow.measured(client, workload.name(), runs.warm(), runs.cold(), nginxMicros);
        } catch (IOException | RuntimeException e) {
            return HttpRow.failed(client, workload.name(), String.valueOf(e.getMessage()));
        }
    }

    private static List<String> select(String names) {
        if (names.equals("all")) {
            return CLIENTS;
        }
        List<String> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            if (!CLIENTS.contains(name.trim())) {
                throw new IllegalArgumentException("--clients: no client '" + name.trim() + "'; known: "
                        + String.join(",", CLIENTS));
            }
            chosen.add(name.trim());
        }
        return chosen;
    }
}
