package dev.weft.bench.flags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft flag-server} in a process of its own pinned to the server core, for the latency-bound half of the
 * benchmark: up once it prints its first line, stopped by its PID (SIGTERM, which it answers by stopping cleanly).
 */
final class FlagServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private FlagServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static FlagServerProcess start(Path weftJar, List<String> jvmFlags, int core, int port, String delay, long seed)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", String.valueOf(core),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", weftJar.toString(), "flag-server", "--port", String.valueOf(port),
                "--delay", delay, "--seed", String.valueOf(seed)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        for (String line; (line = lines.readLine()) != null; ) {
            said.append(line).append('\n');
            if (line.startsWith("flag server (")) {
                Thread.ofVirtual().start(() -> lines.lines().forEach(ignored -> { })); // keep its pipe drained
                return new FlagServerProcess(process, port);
            }
        }
        throw new IOException("weft flag-server exited at start: " + said.toString().strip());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
