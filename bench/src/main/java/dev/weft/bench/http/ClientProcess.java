package dev.weft.bench.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one client of the benchmark in a process of its own pinned to one core, and reads back its timed runs: a JVM
 * running {@link HttpLoad}, or wrk. Each process runs to its end before the next starts.
 */
public final class ClientProcess {
    static final long TICKS_PER_SECOND = 100; // USER_HZ, /proc's unit on every mainstream kernel
    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");

    private ClientProcess() {
    }

    /** What one client process did: its cold and warm windows, and how many requests it made in all. */
    record Runs(Measure cold, Measure warm, long totalRequests) {
    }

    /** {@code java jvmArgs... HttpLoad ...} on {@code core}: the cold and warm windows it prints. */
    static Runs jvm(List<String> jvmFlags, Path benchJar, String client, Workload workload,
                                    String baseUrl, int warmupRequests, int core) throws IOException {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", String.valueOf(core),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", benchJar.toString(), HttpLoad.class.getName(), "--client", client,
                "--workload", workload.name(), "--base", baseUrl,
                "--requests", String.valueOf(workload.requests()),
                "--flag-rounds", String.valueOf(workload.requests() / Workload.FLAG_COUNT),
                "--warmup-requests", String.valueOf(warmupRequests)));
        String output = run(command);
        Map<String, Measure> measures = new HashMap<>();
        long total = 0;
        for (String line : output.lines().toList()) {
            String[] f = line.split(" ");
            if (f[0].equals("RESULT")) {
                measures.put(f[1], new Measure(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
            } else if (f[0].equals("TOTAL")) {
                total = Long.parseLong(f[1]);
            }
        }
        if (!measures.containsKey("cold") || !measures.containsKey("warm") || total == 0) {
            throw new IOException(firstError(output));
        }
        return new Runs(measures.get("cold"), measures.get("warm"), total);
    }

    /**
     * wrk with one thread and {@code concurrency} connections for {@code seconds}, on {@code core}, round-robin over
     * the workload's paths (a Lua script). Its CPU time is read from /proc by the bash that waited for it: a reaped
     * child's utime + stime are added to its parent's cutime + cstime, fields 16 and 17 of /proc/PID/stat.
     */
    public static Measure wrk(Workload workload, String baseUrl, int seconds, int core) throws IOException {
        Path script = Files.createTempFile("http-bench-", ".lua");
        try {
            StringBuilder lua = new StringBuilder("local paths = {");
            workload.paths().forEach(p -> lua.append('"').append(p).append("\","));
            lua.append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n")
                    .append("  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend\n");
            Files.writeString(script, lua);
            String wrk = String.format(Locale.ROOT, "taskset -c %d wrk -t1 -c%d -d%ds -s %s %s", core,
                    workload.concurrency(), seconds, script, baseUrl);
            // `read` is a builtin, so /proc/self is this bash: its cutime and cstime are the reaped wrk's.
            String output = run(List.of("bash", "-c", wrk + " && read -r stat < /proc/self/stat"
                    + " && echo \"STAT $stat\""));
            Matcher requests = WRK_REQUESTS.matcher(output);
            String stat = output.lines().filter(l -> l.startsWith("STAT ")).findFirst().orElse(null);
            if (!requests.find() || stat == null || output.contains("Non-2xx")) {
                throw new IOException("wrk: " + output.strip().replace('\n', ' '));
            }
            double wall = Double.parseDouble(requests.group(2)) * switch (requests.group(3)) {
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "m" -> 60e9;
                default -> 1e9;
            };
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            long cpuNanos = ticks * 1_000_000_000 / TICKS_PER_SECOND;
            return new Measure(Long.parseLong(requests.group(1)), (long) wall, cpuNanos);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Run the command to its end (10 minutes at most) and return its output, stdout and stderr together. */
    public static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return output;
    }

    /** The first line of a failed client's output that is not a JVM warning. */
    private static String firstError(String output) {
        return output.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).map(String::strip)
                .findFirst().orElse("exited without a result");
    }
}
