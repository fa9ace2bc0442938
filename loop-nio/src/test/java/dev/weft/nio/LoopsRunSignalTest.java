package dev.weft.nio;

import dev.weft.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Loops.run} under real signals, sent by {@code kill} to a JVM of its own ({@link SignalledMain}): SIGINT and
 * SIGTERM cancel the main task, whose {@code finally} blocks and child task unwind, and the process exits with
 * 128 + the signal after its shutdown hooks; a second signal gets out of a clean-up that hangs; opting out and a
 * SIGINT ignored since the JVM started leave the signals to the JVM. The children start with SIGINT at its default
 * even when this test runs as a background job that inherited it ignored ({@link ChildJvm}).
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX) // kill, and GNU env to reset the signals a child inherits
class LoopsRunSignalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ParameterizedTest
    @CsvSource({"INT, 130, cancelled by SIGINT (Ctrl-C)", "TERM, 143, cancelled by SIGTERM"})
    void aSignalCancelsMainItsFinallyBlocksRunAndTheProcessExitsAsTheSignalWouldHaveEndedIt(
            String signal, int status, String message) throws Exception {
        try (ChildJvm child = start().start()) {
            child.awaitLine("ready", WAIT);
            child.signal(signal);
            child.awaitLine("child finally ran", WAIT);
            assertEquals("main cancelled: " + message, child.awaitLine("main cancelled", WAIT));
            child.awaitLine("main finally ran", WAIT);
            child.awaitLine("shutdown hook ran", WAIT);
            assertEquals(status, child.awaitExit(WAIT), child.transcript());
            assertFalse(child.transcript().contains("Loops.run returned"), child.transcript());
        }
    }

    @Test
    void aSecondSignalExitsAtOnceWhileAFinallyHangs() throws Exception {
        try (ChildJvm child = start().args("hang").start()) {
            child.awaitLine("ready", WAIT);
            child.signal("INT");
            child.awaitLine("main finally ran", WAIT); // and hangs there
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT), "the second signal's status: " + child.transcript());
            assertTrue(child.transcript().contains("shutdown hook ran"), child.transcript());
        }
    }

    @Test
    void withWeftSignalsFalseTheJvmEndsTheProcessAtOnceSkippingFinally() throws Exception {
        try (ChildJvm child = start().jvmOption("-Dweft.signals=false").start()) {
            child.awaitLine("ready", WAIT);
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT), child.transcript());
            assertTrue(child.transcript().contains("shutdown hook ran"), child.transcript());
            assertFalse(child.transcript().contains("finally ran"), child.transcript());
        }
    }

    /** A background job of a script inherits SIGINT ignored; the JVM keeps it so, and Weft leaves it: SIGTERM works. */
    @Test
    void aSigintIgnoredSinceTheJvmStartedStaysIgnoredAndSigtermStillCancelsMain() throws Exception {
        try (ChildJvm child = start().ignoring("INT").start()) {
            child.awaitLine("ready", WAIT);
            child.signal("INT"); // discarded by the kernel: the process ignores it
            child.signal("TERM");
            assertEquals("main cancelled: cancelled by SIGTERM", child.awaitLine("main cancelled", WAIT));
            assertEquals(143, child.awaitExit(WAIT), child.transcript());
        }
    }

    private static ChildJvm.Builder start() throws IOException {
        return ChildJvm.of(SignalledMain.class.getName()).jvmOption("-Dweft.loop=nio");
    }
}
