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
 * Debug mode off starts nothing: no watchdog, no cleaner thread for resources left open. In a JVM of its own, since
 * once any loop of a JVM has been in debug mode its threads may exist (the cleaner's for good).
 */
@Timeout(60)
class DebugOffTest {

    @Test
    void aProgramWithDebugModeOffStartsNoDebugThread(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve("stderr.txt"); // a file, so a chatty stderr cannot block the child
        Process process = new ProcessBuilder(java.toString(), "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), DebugOffMain.class.getName())
                .redirectError(stderr.toFile())
                .start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the program did not finish");
            assertEquals(0, process.exitValue(), Files.readString(stderr));
            List<String> debugThreads = out.lines()
                    .filter(name -> name.startsWith("weft-debug") || name.startsWith("weft-leak")
                            || name.startsWith("Cleaner-"))
                    .toList();
            assertEquals(List.of(), debugThreads, "threads the program left: " + out);
        } finally {
            process.destroyForcibly();
        }
    }
}
