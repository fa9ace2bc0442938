package dev.weft.samples;

import dev.weft.loop.DebugMode;
import dev.weft.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft flags --debug} against the flag server it starts, which blocks its loop once (the issue's end-to-end
 * check): the slow-step warning names the step that held the loop.
 */
@Timeout(60)
class DebugModeCommandTest {
    @TempDir
    Path out;
    private LogCapture logs;
    private String savedDebug;

    @BeforeEach
    void captureDebugWarnings() {
        savedDebug = System.getProperty(DebugMode.PROPERTY);
        logs = LogCapture.of("dev.weft.debug");
    }

    @AfterEach
    void restore() {
        logs.close();
        if (savedDebug == null) {
            System.clearProperty(DebugMode.PROPERTY); // --debug set it for the whole JVM: the other tests run without
        } else {
            System.setProperty(DebugMode.PROPERTY, savedDebug);
        }
    }

    private List<String> warnings() {
        return logs.records(r -> r.getLevel() == Level.WARNING).stream().map(LogCapture::text).toList();
    }

    @Test
    void flagsWithDebugNamesTheStepThatBlockedTheServersLoop() {
        CommandLine run = weft("flags", "--debug", "--block-once", "300", "--codes", "CN,IN", "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        // The embedded server's loop has closed when the command returns, so the step that blocked it has ended.
        List<String> warnings = warnings();
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("weft debug: a step of task 'stream handler #")
                && w.contains(" held the ") && w.contains(" loop #") && w.contains("(slow step threshold 100 ms)")),
                "the slow step, named: " + warnings);
    }

    @Test
    void withoutDebugTheSameBlockIsNotReported() {
        CommandLine run = weft("flags", "--block-once", "150", "--codes", "CN", "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        assertEquals(List.of(), warnings());
    }

    @Test
    void blockOnceIsRefusedWithAServerOfElsewhere() {
        CommandLine run = weft("flags", "--server", "http://127.0.0.1:9", "--block-once", "300");
        assertEquals(2, run.status, run.err);
        assertTrue(run.err.contains("--block-once is for the flag server started here"), run.err);
    }
}
