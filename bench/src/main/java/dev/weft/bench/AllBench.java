package dev.weft.bench;

import dev.weft.bench.echo.Args;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code weft bench all}: every benchmark, one after the other, each in a process of its own as its section of
 * bench/README.md runs it, gathered into one report: the JMH ratios of the task machinery, the echo servers, the HTTP
 * clients, the flag downloads and the fib server. About 45 minutes on 2 cores with the defaults; {@code --quick}
 * shortens every one to a look (about 10 minutes), not a measurement.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.AllBench [--quick true] [--weft-jar samples/target/weft.jar]
 *     [--out bench/results]
 * </pre>
 */
public final class AllBench {
    private AllBench() {
    }

    /** One benchmark: its title, its main class, its arguments, and the report file it writes (null: its output). */
    private record Part(String title, String main, List<String> args, Path report, boolean pinned) {
    }

    public static void main(String[] args) throws Exception {
        Args options = Args.parse(args);
        boolean quick = Boolean.parseBoolean(options.text("quick", "false"));
        String weftJar = options.text("weft-jar", "samples/target/weft.jar");
        Path out = Path.of(options.text("out", "bench/results"));
        Path work = Files.createDirectories(Path.of("bench/target/all"));
        List<Part> parts = List.of(
                new Part("Task machinery (JMH, ratios)", "dev.weft.bench.Ratios", quick
                        ? List.of("-f", "1", "-wi", "2", "-i", "2", "-w", "1", "-r", "1")
                        : List.of("-f", "1", "-wi", "5", "-i", "5", "-w", "1", "-r", "1"), null, false),
                new Part("Echo servers", "dev.weft.bench.echo.EchoBench", concat(List.of("--weft-jar", weftJar,
                        "--report", work.resolve("echo.md").toString()), quick ? List.of("--sizes", "1024",
                        "--connections", "100", "--warmup", "1", "--seconds", "2") : List.of()),
                        work.resolve("echo.md"), true),
                new Part("HTTP clients", "dev.weft.bench.http.HttpBench", quick ? List.of("--requests", "10000",
                        "--flag-rounds", "10", "--warmup-requests", "5000", "--wrk-seconds", "2") : List.of(),
                        null, false),
                new Part("Flag downloads", "dev.weft.bench.flags.FlagsBench", concat(List.of("--weft-jar", weftJar,
                        "--out", work.toString()), quick ? List.of("--runs", "1", "--repeat", "20", "--warmup", "20",
                        "--cold-repeat", "5") : List.of()), work.resolve("flags-" + LocalDate.now() + ".md"), false),
                new Part("Fib server", "dev.weft.bench.fib.FibBench", concat(List.of("--weft-jar", weftJar, "--out",
                        work.toString()), quick ? List.of("--requests", "300", "--warmup", "100") : List.of()),
                        work.resolve("fib-" + LocalDate.now() + ".md"), false));

        StringBuilder report = new StringBuilder("# All benchmarks, " + LocalDate.now() + (quick ? " (quick: a look, "
                + "not a measurement)" : "") + "\n\n`./weft bench all " + String.join(" ", args) + "`; each section "
                + "is its benchmark's own report (bench/README.md says how it measures).\n");
        for (Part part : parts) {
            if (part.report() != null) {
                Files.deleteIfExists(part.report()); // an earlier run's report must not stand in for a failed one
            }
            long start = System.nanoTime();
            System.out.println("== " + part.title() + " (" + part.main() + ")");
            String output = run(part);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            report.append("\n## ").append(part.title()).append("\n\n");
            if (part.report() != null && Files.isRegularFile(part.report())) {
                report.append(Files.readString(part.report()).replaceAll("(?m)^#", "##").replaceAll("!\\[(\\w+)]\\(",
                        "![$1](../target/all/"));
            } else {
                report.append("```\n").append(tail(output)).append("```\n");
            }
            System.out.printf(Locale.ROOT, "   done in %d min %d s%n", took.toMinutes(), took.toSecondsPart());
        }
        Files.createDirectories(out);
        Path file = out.resolve("all-" + LocalDate.now() + ".md");
        Files.writeString(file, report);
        System.out.println("report: " + file);
    }

    private static String run(Part part) throws IOException {
        List<String> command = new ArrayList<>();
        if (part.pinned()) {
            command.addAll(List.of("taskset", "-c", "1")); // the echo load generator runs in the harness's JVM
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), part.main()));
        command.addAll(part.args());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (var lines = process.inputReader()) {
            for (String line; (line = lines.readLine()) != null; ) {
                System.out.println("   " + line);
                output.append(line).append('\n');
            }
        }
        try {
            int status = process.waitFor();
            if (status != 0) {
                output.append("(exited with status ").append(status).append(")\n");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return output.toString();
    }

    /** The end of a benchmark's output, where its tables are: from its last blank-line-separated block of results. */
    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
