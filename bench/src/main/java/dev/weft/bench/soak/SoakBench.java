package dev.weft.bench.soak;

import dev.weft.bench.echo.Args;
import dev.weft.bench.echo.ServerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Load and soak, on demand (never in CI): on every backend, {@code --connections} echo connections on one loop and
 * {@code --concurrency} HTTP requests in flight through one session, each for {@code --seconds}, reporting latency
 * percentiles and the footprint (RSS, heap after a full GC, open descriptors, tasks alive) at the start and the end of
 * the window. Nothing may grow: the report's last column names what did.
 *
 * <pre>
 * ./weft bench soak [--loops nio,epoll,iouring,vthreads] [--seconds 60] [--warmup 10] [--connections 10000]
 *                   [--concurrency 1000] [--size 64]
 * </pre>
 */
public final class SoakBench {
    private static final int SERVER_CORE = 0;

    private SoakBench() {
    }

    /** The command as the user typed it: without the paths the launcher adds. */
    private static List<String> userCommand(String[] args) {
        List<String> command = new ArrayList<>(List.of("./weft", "bench", "soak"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].equals("--weft-jar") && !args[i].equals("--out")) {
                command.addAll(List.of(args[i], args[i + 1]));
            }
        }
        return command;
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        List<String> loops = List.of(options.text("loops", "nio,epoll,iouring,vthreads").split(","));
        Duration measured = Duration.ofSeconds(options.integer("seconds", 60));
        Duration warmup = Duration.ofSeconds(options.integer("warmup", 10));
        int connections = options.integer("connections", 10_000);
        int concurrency = options.integer("concurrency", 1_000);
        int size = options.integer("size", 64);
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path out = Path.of(options.text("out", "bench/results"));
        Path benchJar = Path.of(SoakBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());

        List<String> lines = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> pools = new ArrayList<>();
        for (String loop : loops) {
            System.out.println("echo soak on " + loop + ": " + connections + " connections for " + measured + "...");
            try {
                lines.add(EchoSoak.run(loop, benchJar, weftJar, SERVER_CORE, 7300, connections, size, warmup,
                        measured).markdown());
            } catch (ServerProcess.UnavailableException e) {
                failures.add("echo " + loop + ": unavailable: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                failures.add("echo " + loop + ": failed: " + e);
            }
            System.out.println("http soak on " + loop + ": " + concurrency + " concurrent for " + measured + "...");
            try {
                HttpSoak.Outcome http = HttpSoak.run(loop, SERVER_CORE, 7301, concurrency, warmup, measured);
                lines.add(http.row().markdown());
                pools.add("- http " + loop + ": pool at start " + http.poolAtStart().idle() + " idle, "
                        + http.poolAtStart().busy() + " busy, " + http.poolAtStart().waiting() + " waiting; at end "
                        + http.poolAtEnd().idle() + " idle, " + http.poolAtEnd().busy() + " busy, "
                        + http.poolAtEnd().waiting() + " waiting");
            } catch (Exception e) {
                failures.add("http " + loop + ": failed: " + e);
            }
            System.out.println(lines.isEmpty() ? "" : lines.getLast());
        }

        StringBuilder report = new StringBuilder("# Soak, " + LocalDate.now() + "\n\n")
                .append("Command: `").append(String.join(" ", userCommand(args))).append("`. ")
                .append(measured.toSeconds()).append(" s measured after ").append(warmup.toSeconds())
                .append(" s of warm-up; echo messages of ").append(size).append(" B, the server (Weft's streams echo, ")
                .append("a task per connection, one loop) in its own JVM pinned to core ").append(SERVER_CORE)
                .append("; the HTTP client in the harness's JVM against nginx pinned to core ").append(SERVER_CORE)
                .append(", 1 KiB responses. Footprints are the server's (echo) and the client's (http), read with ")
                .append("the load running: heap after a full GC, tasks alive on the loops.\n\n")
                .append(SoakRow.header()).append('\n');
        lines.forEach(line -> report.append(line).append('\n'));
        if (!pools.isEmpty()) {
            report.append("\nThe session's pool at the window's edges:\n\n");
            pools.forEach(line -> report.append(line).append('\n'));
        }
        if (!failures.isEmpty()) {
            report.append("\nNot measured:\n\n");
            failures.forEach(line -> report.append("- ").append(line).append('\n'));
        }
        Files.createDirectories(out);
        Path file = out.resolve("soak-" + LocalDate.now() + ".md");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("Markdown report: " + file);
        if (!failures.isEmpty()) {
            System.exit(1);
        }
    }
}
