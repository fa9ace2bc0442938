package dev.weft.bench;

import dev.weft.bench.echo.EchoServers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server command of {@code weft} ({@code flag-server}, {@code fib-server}) in a process of its own, optionally pinned
 * to a core: up once it prints the line that says so, its output drained from then on, stopped by its PID (SIGTERM,
 * which Weft's servers answer by stopping cleanly).
 */
public final class WeftServerProcess implements AutoCloseable {
    private static final java.time.Duration READY_WITHIN = java.time.Duration.ofMinutes(1);

    private final Process process;

    private WeftServerProcess(Process process) {
        this.process = process;
    }

    /**
     * Run {@code java -jar weftJar ARGS} (with {@code taskset -c core} unless core is negative) and wait for the line
     * that starts with {@code ready}.
     */
    public static WeftServerProcess start(Path weftJar, int core, String ready, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (core >= 0) {
            command.addAll(List.of("taskset", "-c", String.valueOf(core)));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(EchoServers.COMMON_JVM_FLAGS);
        command.addAll(List.of("-jar", weftJar.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A server that never says it is up is stopped after a minute, which ends the wait below too.
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(READY_WITHIN);
                process.destroyForcibly();
            } catch (InterruptedException up) {
                // it said it was up
            }
        });
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.startsWith(ready)) {
                watchdog.interrupt();
                Thread.ofVirtual().start(() -> drain(lines));
                return new WeftServerProcess(process);
            }
        }
        process.destroyForcibly();
        throw new IOException("weft " + args.getFirst() + " was not up within " + READY_WITHIN.toSeconds() + " s or "
                + "exited at start: " + said.toString().strip());
    }

    private static void drain(BufferedReader lines) {
        try {
            while (lines.readLine() != null) {
                // what the server says while it serves is not the benchmark's business
            }
        } catch (IOException closedWithTheProcess) {
            // stopped: nothing more to read
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
