package dev.weft.bench.flags;

import dev.weft.bench.http.ClientProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the flags benchmark: {@code weft flags} in one of its modes (and, for Weft's client, on one loop), run
 * as a user runs it, in a JVM of its own pinned to the client core.
 *
 * @param name  the row's name
 * @param weft  the command line after the jar: {@code [--loop L] flags --mode M}
 * @param isWeft whether it is Weft's own client (the others are the baselines)
 */
record FlagClient(String name, List<String> weft, boolean isWeft) {
    private static final Pattern DOWNLOADED = Pattern.compile(
            "^(\\d+) flags? downloaded in ([\\d.]+)s.*?(?:; the server's longest delay was (\\d+) ms)?$",
            Pattern.MULTILINE);
    private static final Pattern FAILED = Pattern.compile("^(\\d+) failed: (.*)$", Pattern.MULTILINE);

    /** Fluent Python's twenty, as nginx serves them: what wrk fetches, round-robin. */
    static final List<String> POPULOUS_PATHS = List.of("cn", "in", "us", "id", "br", "pk", "ng", "bd", "ru", "jp",
            "mx", "ph", "vn", "et", "eg", "de", "ir", "tr", "cd", "fr").stream().map(cc -> "/flags/" + cc + ".png")
            .toList();

    /** Every row, in the table's order: the JDK baselines, then Weft on each backend. */
    static final List<FlagClient> ALL = List.of(
            new FlagClient("sequential (JDK client)", List.of("flags", "--mode", "sequential"), false),
            new FlagClient("thread pool (JDK client)", List.of("flags", "--mode", "threads"), false),
            new FlagClient("virtual threads (JDK client)", List.of("flags", "--mode", "virtual"), false),
            weft("nio"), weft("epoll"), weft("iouring"), weft("vthreads"));

    private static FlagClient weft(String loop) {
        return new FlagClient("Weft async, " + loop, List.of("--loop", loop, "flags", "--mode", "async"), true);
    }

    /** What one run printed: flags downloaded, the in-program time, and the server's longest delay (-1: none). */
    record Result(int flags, double seconds, long longestDelay) {
        double flagsPerSecond() {
            return flags / seconds;
        }
    }

    /** Run {@code weft flags} against the server: these rounds after that many untimed ones, at this concurrency. */
    Result run(Path weftJar, List<String> jvmFlags, int core, String server, int repeat, int warmup, int concurrency)
            throws IOException {
        Path out = Files.createTempDirectory("flags-bench-");
        try {
            List<String> command = new ArrayList<>(List.of("taskset", "-c", String.valueOf(core),
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmFlags);
            command.addAll(List.of("-jar", weftJar.toString()));
            command.addAll(weft);
            command.addAll(List.of("--server", server, "--concurrency", String.valueOf(concurrency), "--repeat",
                    String.valueOf(repeat), "--warmup", String.valueOf(warmup), "--out", out.toString()));
            String output = ClientProcess.run(command);
            Matcher failed = FAILED.matcher(output);
            if (failed.find()) {
                throw new IOException(name + ": " + failed.group(0));
            }
            Matcher done = DOWNLOADED.matcher(output);
            if (!done.find()) {
                throw new IOException(name + ": " + output.strip().replace('\n', ' '));
            }
            return new Result(Integer.parseInt(done.group(1)), Double.parseDouble(done.group(2)),
                    done.group(3) == null ? -1 : Long.parseLong(done.group(3)));
        } finally {
            try (var files = Files.list(out)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(out);
        }
    }
}
