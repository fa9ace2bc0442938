package dev.weft.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without {@code --add-opens java.base/java.lang=ALL-UNNAMED} still runs Weft programs, in baton mode,
 * and says so exactly once however many loops it makes, naming the flag that turns the fast path on.
 */
@Timeout(60)
class FallbackModeTest {

    @Test
    void withoutAddOpensTasksRunInBatonModeAndTheLogSaysHowToFixItOnce(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve("stderr.txt"); // a file, so a chatty stderr cannot block the child
        Process process = new ProcessBuilder(java.toString(),
                "-cp", System.getProperty("java.class.path"),
                FallbackModeMain.class.getName())
                .redirectError(stderr.toFile())
                .start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the fallback program did not finish");
            String err = Files.readString(stderr);
            assertEquals(0, process.exitValue(), err);
            assertEquals(List.of("ab BATON", "ab BATON"), out.lines().toList());
            long warnings = err.lines().filter(line -> line.contains("fallback (baton) mode")).count();
            assertEquals(1, warnings, err);
            assertTrue(err.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), err);
        } finally {
            process.destroyForcibly();
        }
    }

}
