package dev.weft.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A native loop that cannot start, as a user meets it: the command line runs in a JVM where Netty's natives are
 * switched off ({@code -Dio.netty.transport.noNative=true}, which Netty's probes read once, at class loading, hence a
 * JVM of its own), standing in for a kernel without io_uring or a missing native jar.
 */
@Timeout(60)
class NativeLoopUnavailableTest {

    @Test
    void askingForIoUringFailsWithTheProbesCauseAndARemedy() throws Exception {
        Result run = weftWithoutNatives("--loop", "iouring", "loops");
        assertEquals(2, run.status, run.err);
        assertTrue(run.err.contains("event loop 'iouring' is unavailable: iouring cannot start:"), run.err);
        assertTrue(run.err.contains("noNative"), "names the probe's cause: " + run.err);
        assertTrue(run.err.contains("use -Dweft.loop=epoll or nio meanwhile"), "gives a remedy: " + run.err);
        assertTrue(run.err.contains("one of: nio"), "names what runs instead: " + run.err);
    }

    @Test
    void autoFallsBackToNioAndLogsWhy() throws Exception {
        Result run = weftWithoutNatives("loops");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("picked: nio"), run.out);
        assertTrue(run.err.contains("skipped iouring (iouring cannot start:"), "logs why: " + run.err);
        assertTrue(run.err.contains("epoll (epoll cannot start:"), "logs why: " + run.err);
    }

    private record Result(int status, String out, String err) {
    }

    private static Result weftWithoutNatives(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-Dio.netty.transport.noNative=true", "-cp", System.getProperty("java.class.path"),
                Weft.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        var out = process.inputReader(StandardCharsets.UTF_8);
        var err = process.errorReader(StandardCharsets.UTF_8);
        var errText = new StringBuilder();
        Thread errReader = Thread.ofVirtual().start(() -> err.lines().forEach(line -> errText.append(line).append('\n')));
        String outText = String.join("\n", out.lines().toList());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("weft " + String.join(" ", args) + " did not exit in 30 s");
        }
        errReader.join();
        return new Result(process.exitValue(), outText, errText.toString());
    }
}
