package dev.weft.samples;

import dev.weft.loop.DebugMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft flags --debug} against the flag server it starts, which blocks its loop once (the issue's end-to-end
 * check): the slow-step warning names the step that held the loop.
 */
@Timeout(60)
class DebugModeCommandTest {
    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    @TempDir
    Path out;
    private final Logger logger = Logger.getLogger("dev.weft.debug"); // held: the JDK keeps loggers weakly
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel() == Level.WARNING) {
                warnings.add(FORMATTER.formatMessage(record));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private String savedDebug;

    @BeforeEach
    void captureDebugWarnings() {
        savedDebug = System.getProperty(DebugMode.PROPERTY);
        logger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        logger.removeHandler(capture);
        if (savedDebug == null) {
            System.clearProperty(DebugMode.PROPERTY); // --debug set it for the whole JVM: the other tests run without
        } else {
            System.setProperty(DebugMode.PROPERTY, savedDebug);
        }
    }

    @Test
    void flagsWithDebugNamesTheStepThatBlockedTheServersLoop() {
        CommandLine run = weft("flags", "--debug", "--block-once", "300", "--codes", "CN,IN", "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        // The embedded server's loop has closed when the command returns, so the step that blocked it has ended.
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("weft debug: a step of task 'stream handler #")
                && w.contains(" held the ") && w.contains(" loop for ") && w.contains("(slow step threshold 100 ms)")),
                "the slow step, named: " + warnings);
    }

    @Test
    void withoutDebugTheSameBlockIsNotReported() {
        CommandLine run = weft("flags", "--block-once", "150", "--codes", "CN", "--out", out.toString());
        assertEquals(0, run.status, run.out + run.err);
        assertEquals(List.of(), warnings);
    }

    @Test
    void blockOnceIsRefusedWithAServerOfElsewhere() {
        CommandLine run = weft("flags", "--server", "http://127.0.0.1:9", "--block-once", "300");
        assertEquals(2, run.status, run.err);
        assertTrue(run.err.contains("--block-once is for the flag server started here"), run.err);
    }
}
