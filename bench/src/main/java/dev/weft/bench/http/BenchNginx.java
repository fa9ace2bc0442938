package dev.weft.bench.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark's nginx (Debian's, installed by {@code .ci/install-http-peers}): one worker, pinned with
 * {@code taskset} to one core, serving {@link Workload#ONE_KIB} and the flags from a config and docroot in a private
 * temp directory, on 127.0.0.1. No access log, and keep-alive connections that nginx never retires during a run, so
 * what is measured is each client's steady state, not its reconnects. {@link #close()} stops it by its PID.
 */
public final class BenchNginx implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path dir;
    private final int port;

    private BenchNginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts nginx on {@code core} and returns once it accepts connections on {@code port}. */
    public static BenchNginx start(int core, int port) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY) || !Files.isDirectory(Workload.FLAGS)) {
            throw new IOException("nginx or the flag PNGs are not installed (" + BINARY + ", " + Workload.FLAGS
                    + "); install them with .ci/install-http-peers (as root)");
        }
        Path dir = Files.createTempDirectory("http-bench-nginx-");
        Path docroot = Files.createDirectories(dir.resolve("docroot"));
        byte[] oneKib = new byte[1024];
        new Random(1).nextBytes(oneKib);
        Files.write(docroot.resolve(Workload.ONE_KIB.substring(1)), oneKib);
        Files.createDirectories(dir.resolve("temp"));
        Path conf = Files.writeString(dir.resolve("nginx.conf"), config(dir, port));
        Process process = new ProcessBuilder("taskset", "-c", String.valueOf(core), BINARY.toString(),
                "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile()).start();
        BenchNginx nginx = new BenchNginx(process, dir, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
                String log = Files.readString(dir.resolve("nginx.log"));
                nginx.close();
                throw new IOException("nginx exited at start: " + log.strip());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return nginx;
            } catch (IOException notYet) {
                // not listening yet
            }
        }
        nginx.close();
        throw new IOException("nginx did not listen on port " + port + " within 20 s");
    }

    private static String config(Path dir, int port) throws IOException {
        boolean root = ((Integer) Files.getAttribute(dir, "unix:uid")) == 0;
        StringBuilder conf = new StringBuilder("daemon off;\nmaster_process on;\nworker_processes 1;\n");
        // As root the workers would become "nobody", who cannot read our private directory: keep them root.
        conf.append(root ? "user root;\n" : "")
                .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
                .append("error_log stderr notice;\n")
                .append("events { worker_connections 4096; }\nhttp {\n");
        for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            conf.append("  ").append(kind).append("_temp_path ").append(dir.resolve("temp").resolve(kind))
                    .append(";\n");
        }
        return conf.append("""
                  types { image/png png; application/octet-stream bin; }
                  default_type application/octet-stream;
                  access_log off;
                  sendfile on; tcp_nopush on; tcp_nodelay on;
                  keepalive_timeout 300s; keepalive_requests 100000000;
                  server {
                """)
                .append("    listen 127.0.0.1:").append(port).append(";\n")
                .append("    root ").append(dir.resolve("docroot")).append(";\n")
                .append("    location /flags/ { alias ").append(Workload.FLAGS).append("/; }\n")
                .append("  }\n}\n").toString();
    }

    /** The CPU time nginx's master and worker have used so far (user + system, /proc/PID/stat), in nanoseconds. */
    public long cpuNanos() throws IOException {
        long ticks = 0;
        for (long pid : Stream.concat(Stream.of(process.toHandle()), process.children()).map(ProcessHandle::pid)
                .toList()) {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks * 1_000_000_000 / ClientProcess.TICKS_PER_SECOND;
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops nginx by its PID (SIGTERM, nginx's fast stop; then SIGKILL for it and its worker); deletes its files. */
    @Override
    public void close() throws IOException {
        List<ProcessHandle> workers = process.children().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
