package dev.weft.http.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server the tests run as a child process (nginx, httpbin): its temp directory, its log, waiting until it accepts
 * connections, and stopping it by its PID — a signal, a bounded wait, then SIGKILL for it and every process it
 * started (nginx's workers outlive a killed master). A shutdown hook stops it if a test forgets to, so no server
 * outlives the test JVM when the JVM exits normally.
 */
final class PeerProcess implements AutoCloseable {
    /** How long a stopped server gets to exit on its own signal before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path dir;
    private final Path log;
    private final String stopSignal;
    private final Thread shutdownHook;
    private boolean closed;

    private PeerProcess(String name, Process process, Path dir, Path log, String stopSignal) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.stopSignal = stopSignal;
        this.shutdownHook = Thread.ofPlatform().unstarted(this::stop);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code command} in {@code dir}, its stdout and stderr into {@code dir/<name>.log}.
     *
     * @param stopSignal the signal that asks it to exit ("QUIT" for nginx's graceful stop, "TERM" otherwise)
     */
    static PeerProcess start(String name, List<String> command, Path dir, String stopSignal) throws IOException {
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PeerProcess(name, process, dir, log, stopSignal);
    }

    long pid() {
        return process.pid();
    }

    Path directory() {
        return dir;
    }

    Process process() {
        return process;
    }

    /** The log so far (stdout and stderr), or a note saying why it could not be read. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(its log " + log + " could not be read: " + e + ")";
        }
    }

    /** A probe of whether the server is ready yet; false (or an IOException) means "not yet". */
    interface ReadinessCheck {
        boolean ready() throws IOException;
    }

    /**
     * Polls {@code check} every 10 ms until it holds, up to {@code timeout}.
     *
     * @param what what readiness means, for the message, e.g. "listen on port 8080"
     * @throws IOException naming the server and quoting its log if it exited or was not ready in time
     */
    void awaitReady(String what, Duration timeout, ReadinessCheck check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure("exited with status " + process.exitValue() + " before it would " + what);
            }
            try {
                if (check.ready()) {
                    return;
                }
            } catch (IOException notYet) {
                // Refused, or an answer cut short while it starts: ask again.
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("did not " + what + " within " + timeout.toMillis() + " ms");
            }
            // Bounded polling of a child process that signals nothing else; 10 ms is far below its start time.
            process.waitFor(10, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether something accepts a TCP connection on 127.0.0.1:{@code port} within 200 ms. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An error that says what went wrong with the server and quotes its log, for a startup failure. */
    IOException failure(String what) {
        return new IOException(name + " (pid " + process.pid() + ", in " + dir + ") " + what
                + " (if it is missing, install it as root with .ci/install-http-peers); its log:\n" + log());
    }

    /**
     * Stops the server and deletes its directory: the stop signal, up to {@link #STOP_GRACE} for it to exit, then
     * SIGKILL for it and its descendants. Idempotent.
     */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or ran: it stopped the server already.
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        try {
            if (process.isAlive()) {
                signal(stopSignal, process.pid());
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            // Children that outlived their parent (none should) are killed too, and awaited.
            for (ProcessHandle child : descendants) {
                child.destroyForcibly();
                child.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") did not stop: " + e, e);
        } finally {
            deleteTree(dir);
        }
    }

    /** Sends a signal by name with kill(1): the JDK sends only SIGTERM and SIGKILL. */
    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!kill.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            kill.destroyForcibly();
        }
    }

    /** A fresh private directory for one server. */
    static Path newDirectory(String name) throws IOException {
        return Files.createTempDirectory("weft-" + name + "-");
    }

    /** Deletes a directory and everything under it; a directory that is already gone is fine. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /**
     * A TCP port on 127.0.0.1 that is free now. A server started on it a moment later may still lose it to another
     * process; the callers retry on "address in use".
     */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
