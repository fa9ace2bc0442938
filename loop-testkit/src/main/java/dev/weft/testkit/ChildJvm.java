package dev.weft.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, for a test that sends a program signals or looks at how it exits: it runs a main class on this
 * JVM's class path with Weft's JVM flags, and the test reads its output line by line, each wait with a timeout.
 * {@link #close()} kills it if it still runs; use it in try-with-resources.
 *
 * <p>SIGINT and SIGTERM start at their defaults in the child whatever this JVM inherited: a test run as a background
 * job of a non-interactive shell ({@code ./mvnw verify &} in a script, some CI runners) inherits SIGINT ignored, the
 * JVM keeps an inherited SIG_IGN, and a child that ignores SIGINT would make a test of Ctrl-C hang or lie. The child
 * is started through GNU {@code env --default-signal} (coreutils 8.31 or later); {@link #ignoring} starts one with a
 * signal ignored instead, to test that case on purpose.
 */
public final class ChildJvm implements AutoCloseable {
    /** The signals a child starts with at their defaults, unless {@link #ignoring} says otherwise. */
    private static final Set<String> DEFAULTED = Set.of("INT", "TERM");
    private static final String END = "\u0000end of output"; // queued after the last line
    private static boolean envChecked; // guarded by the class

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer(); // stdout and stderr, for failure messages

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-out").start(() -> pump(process.inputReader(
                StandardCharsets.UTF_8), true));
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-err").start(() -> pump(process.errorReader(
                StandardCharsets.UTF_8), false));
    }

    /** What to start: a main class, its arguments, JVM options, signals to ignore. */
    public static Builder of(String mainClass) {
        return new Builder(mainClass);
    }

    /** Builds a {@link ChildJvm}. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Set<String> ignored = new LinkedHashSet<>();

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** A JVM option such as {@code -Dweft.loop=nio}, after Weft's own flags. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** Arguments of the main class. */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Start the child with this signal ignored, as a background job of a script inherits SIGINT. */
        public Builder ignoring(String signal) {
            ignored.add(signal);
            return this;
        }

        /** Start the child. */
        public ChildJvm start() throws IOException {
            checkEnv();
            List<String> command = new ArrayList<>(List.of("env"));
            Set<String> defaulted = new LinkedHashSet<>(DEFAULTED);
            defaulted.removeAll(ignored);
            if (!defaulted.isEmpty()) {
                command.add("--default-signal=" + String.join(",", defaulted));
            }
            if (!ignored.isEmpty()) {
                command.add("--ignore-signal=" + String.join(",", ignored));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
            command.addAll(args);
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            return new ChildJvm(process);
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Wait for a line of the child's standard output that contains the text, skipping the lines before it.
     *
     * @throws AssertionError if the child prints no such line within the timeout, or exits first, with what it printed
     */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END); // for the next wait
                }
                throw new AssertionError("the child printed no line with '" + text + "' within " + timeout
                        + (line != null ? " (it closed its output)" : "") + "; its output:\n" + transcript());
            }
            if (line.contains(text)) {
                return line;
            }
        }
    }

    /** Send the signal ({@code INT}, {@code TERM}...) to the child with {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        kill(process.pid(), name);
    }

    /**
     * Wait for the child to exit and return its status.
     *
     * @throws AssertionError if it still runs after the timeout, with what it printed
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the child did not exit within " + timeout + "; its output:\n" + transcript());
        }
        return process.exitValue();
    }

    /** Everything the child printed so far, standard error's lines marked {@code err|}. */
    public String transcript() {
        return transcript.toString();
    }

    /** Kill the child if it still runs, and wait for it. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Send a signal to a process with {@code kill -s NAME PID}, as a user or a service manager would; returns once
     * {@code kill} has, that is once the signal is pending.
     */
    public static void kill(long pid, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, String.valueOf(pid)).redirectErrorStream(true).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS)) {
            kill.destroyForcibly();
            throw new AssertionError("kill -s " + signal + " " + pid + " did not return within 10 s");
        }
        if (kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + signal + " " + pid + " failed: "
                    + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    private void pump(BufferedReader reader, boolean stdout) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                transcript.append(stdout ? "" : "err| ").append(line).append('\n');
                if (stdout) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            transcript.append("(reading the child's output failed: ").append(e).append(")\n");
        } finally {
            if (stdout) {
                lines.add(END);
            }
        }
    }

    /** Fail at once, saying what is missing, where {@code env} cannot reset a signal to its default. */
    private static synchronized void checkEnv() {
        if (envChecked) {
            return;
        }
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                probe.destroyForcibly();
                throw new IllegalStateException("ChildJvm needs GNU env 8.31 or later (env --default-signal), to start "
                        + "children with SIGINT at its default; this env says: "
                        + new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            envChecked = true;
        } catch (IOException e) {
            throw new UncheckedIOException("ChildJvm cannot run env: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking env", e);
        }
    }
}
