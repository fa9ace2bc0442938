package dev.weft.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An echo server under test, in a process of its own pinned to one core, so the load generator's work never counts as
 * the server's. Its CPU time (user + system, every thread including the JIT and the GC) is read from
 * {@code /proc/PID/stat}; {@code taskset} execs the server, so the PID is the server's.
 */
public final class ServerProcess implements AutoCloseable {
    private static final long TICKS_PER_SECOND = clockTicks();
    /** Servers not yet stopped; a hook kills them if the harness is interrupted (Ctrl-C) mid-run. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    /** The server exited before it listened: its backend cannot run here (or does not exist yet). */
    public static final class UnavailableException extends IOException {
        UnavailableException(String firstLine) {
            super(firstLine);
        }
    }

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Start the server's command (java and its arguments, or a native program) pinned to {@code core} and wait until
     * the port accepts connections.
     *
     * @throws UnavailableException if the process exits first; its message is the first line the server printed
     */
    public static ServerProcess start(String name, List<String> serverCommand, int core, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", String.valueOf(core)));
        command.addAll(serverCommand);
        Path log = Files.createTempFile("echo-" + name + "-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.add(process);
        ServerProcess server = new ServerProcess(process, log);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                    String reason = firstError(log);
                    server.close();
                    throw new UnavailableException(reason.isEmpty() ? "exited with " + process.exitValue() : reason);
                }
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return server;
                } catch (IOException notYet) {
                    // not listening yet
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        server.close();
        throw new IOException(name + " did not listen on port " + port + " within 20 s: " + output);
    }

    /**
     * What to add to a failure's message if the server is gone: its exit status and the end of its output (its log
     * is deleted at close), so that a server that died mid-run says why. Empty while it runs.
     */
    String postMortem() {
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String tail = String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            return " (the server exited with " + process.exitValue() + (tail.isBlank() ? "" : ": " + tail) + ")";
        } catch (IOException e) {
            return " (the server exited with " + process.exitValue() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The first line of the server's output that is not a JVM warning. */
    private static String firstError(Path log) throws IOException {
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("WARNING:")) {
                return line.strip();
            }
        }
        return "";
    }

    public long pid() {
        return process.pid();
    }

    /** The process's user + system CPU time so far, in microseconds (resolution: one clock tick, 10 ms). */
    long cpuMicros() throws IOException {
        long ticks = ticks(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat")));
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /**
     * The CPU time of the JIT compiler threads alive now, in microseconds. A compilation that runs on into the measured
     * window is charged to the server's requests; the harness waits for this to stop growing before it measures.
     */
    long compilerMicros() throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", String.valueOf(process.pid()),
                "task"))) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        ticks += ticks(Files.readString(thread.resolve("stat")));
                    }
                } catch (NoSuchFileException exited) {
                    // the JVM retires idle compiler threads; an exited one compiles no more
                }
            }
        }
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /** utime + stime from a stat line. */
    private static long ticks(String stat) {
        // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Convert /proc's clock ticks to microseconds. */
    static long ticksToMicros(long ticks) {
        return ticks * 1_000_000 / TICKS_PER_SECOND;
    }

    /** USER_HZ from {@code getconf CLK_TCK}: the unit of /proc's CPU times. 100 on every mainstream kernel. */
    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    /** Stop the server (SIGTERM, then SIGKILL after 5 s) and delete its log. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
            Files.deleteIfExists(log);
        }
    }
}
