package dev.weft.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's logging loads the time-zone rules ({@code lib/tzdb.dat}) at its first record. If that record is written
 * while the process is out of file descriptors, the load fails for good and every later record throws into its
 * caller. A loop prepares logging when its class loads, so both records here come out.
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX) // bash and ulimit, as a server under a descriptor limit meets them
class LogAtDescriptorExhaustionTest {

    @Test
    void recordsWrittenWhileOutOfDescriptorsAndAfterComeOut(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dir.resolve("stderr.txt"); // a file, so a chatty stderr cannot block the child
        // --add-opens and an explicit loop keep the log empty until the child's own first record.
        String child = String.join(" ", List.of(quote(java.toString()),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-Dweft.loop=nio",
                "-cp", quote(System.getProperty("java.class.path")), LogAtDescriptorExhaustionMain.class.getName()));
        Process process = new ProcessBuilder("bash", "-c", "ulimit -n 128 && exec " + child)
                .redirectError(stderr.toFile())
                .start();
        try {
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child did not finish");
            String err = Files.readString(stderr);
            assertTrue(out.contains("descriptors: /dev/null (Too many open files)"), out + err);
            assertEquals(0, process.exitValue(), out + err);
            assertTrue(err.contains("first record, out of file descriptors"), err);
            assertTrue(err.contains("java.io.IOException: accept failed: Too many open files"), "with its trace: " + err);
            assertTrue(err.contains("second record, descriptors back"), err);
            assertTrue(out.endsWith("done\n"), out);
        } finally {
            process.destroyForcibly();
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
