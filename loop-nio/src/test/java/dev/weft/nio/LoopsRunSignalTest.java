package dev.weft.nio;

import dev.weft.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Loops.run} under real signals, sent by {@code kill} to a JVM of its own ({@link SignalledMain}): SIGINT and
 * SIGTERM cancel the main task, whose {@code finally} blocks and child task unwind; then {@code Loops.run} throws a
 * {@code SignalCancellationException}, the caller's own {@code finally} runs, and the process exits with
 * 128 + the signal once the main thread has ended — so a shutdown hook that joins it does not deadlock. A second signal
 * gets out of a clean-up that hangs; opting out, a SIGINT ignored since the JVM started and a runtime without
 * {@code jdk.unsupported} leave the signals to the JVM. The children start with SIGINT at its default even when this
 * test runs as a background job that inherited it ignored ({@link ChildJvm}).
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX) // kill, and GNU env to reset the signals a child inherits
class LoopsRunSignalTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ParameterizedTest
    @CsvSource({"INT, 130, cancelled by SIGINT (Ctrl-C)", "TERM, 143, cancelled by SIGTERM"})
    void aSignalCancelsMainThenLoopsRunThrowsAndTheProcessExitsAsTheSignalWouldHaveEndedItAfterEveryFinally(
            String signal, int status, String message) throws Exception {
        try (ChildJvm child = start().args("join").start()) { // the shutdown hook joins the main thread
            child.awaitLine("ready", WAIT);
            child.signal(signal);
            child.awaitLine("child finally ran", WAIT);
            assertEquals("main cancelled: " + message, child.awaitLine("main cancelled", WAIT));
            child.awaitLine("main finally ran", WAIT);
            child.awaitLine("finally around Loops.run ran", WAIT);
            child.awaitLine("shutdown hook ran", WAIT);
            assertEquals(status, child.awaitExit(WAIT), child.transcript());
            assertTrue(child.transcript().contains("Exception in thread \"main\" "
                    + "dev.weft.loop.SignalCancellationException: " + message), child.transcript());
            assertFalse(child.transcript().contains("returned"), child.transcript());
        }
    }

    /** However main ended, the caller gets the signal's cancellation, and the process still exits with its status. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "catch        | TERM | 143 | caught SIGTERM 143: cancelled by SIGTERM suppressed []",
            "catch return | INT  | 130 | caught SIGINT 130: cancelled by SIGINT (Ctrl-C) suppressed []",
            "catch fail   | INT  | 130 | caught SIGINT 130: cancelled by SIGINT (Ctrl-C) suppressed "
                    + "[java.lang.IllegalStateException: clean-up failed]"})
    void aCallerThatCatchesTheCancellationSeesTheSignalAndStatusAndTheProcessExitsWhenItsThreadEnds(
            String options, String signal, int status, String caught) throws Exception {
        try (ChildJvm child = start().args(options.split(" ")).start()) {
            child.awaitLine("ready", WAIT);
            child.signal(signal);
            child.awaitLine("main finally ran", WAIT);
            assertEquals(caught, child.awaitLine("caught", WAIT));
            child.awaitLine("finally around Loops.run ran", WAIT);
            child.awaitLine("main method returned", WAIT);
            assertEquals(status, child.awaitExit(WAIT), child.transcript());
        }
    }

    @Test
    void aSecondSignalHaltsAtOnceWhileAFinallyHangsWithoutTheShutdownHooks() throws Exception {
        try (ChildJvm child = start().args("hang", "join").start()) {
            child.awaitLine("ready", WAIT);
            child.signal("INT");
            child.awaitLine("main finally ran", WAIT); // and hangs there
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT), "the second signal's status: " + child.transcript());
            assertTrue(child.transcript().contains("err| weft: SIGTERM while unwinding after SIGINT: exiting at once "
                    + "with status 143, without the shutdown hooks"), child.transcript());
            assertFalse(child.transcript().contains("shutdown hook ran"), child.transcript());
            assertFalse(child.transcript().contains("finally around"), child.transcript());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", " FALSE "})
    void withWeftSignalsFalseTheJvmEndsTheProcessAtOnceSkippingFinally(String value) throws Exception {
        try (ChildJvm child = start().jvmOption("-Dweft.signals=" + value).start()) {
            child.awaitLine("ready", WAIT);
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT), child.transcript());
            assertTrue(child.transcript().contains("shutdown hook ran"), child.transcript());
            assertFalse(child.transcript().contains("finally ran"), child.transcript());
        }
    }

    /** "1" or "yes" read by parseBoolean would silently mean false: it is a slip, named, and the default holds. */
    @ParameterizedTest
    @ValueSource(strings = {"yes", "1"})
    void aWeftSignalsValueOtherThanTrueOrFalseIsWarnedAboutAndTakenAsTrue(String value) throws Exception {
        try (ChildJvm child = start().jvmOption("-Dweft.signals=" + value).start()) {
            child.awaitLine("ready", WAIT);
            child.signal("TERM");
            child.awaitLine("main finally ran", WAIT);
            assertEquals(143, child.awaitExit(WAIT), child.transcript());
            assertTrue(child.transcript().contains("-Dweft.signals='" + value + "' is neither true nor false; taking "
                    + "it as true"), child.transcript());
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

    /**
     * A jlink image without {@code jdk.unsupported} has no {@code sun.misc.Signal}: {@code --limit-modules} makes such
     * a runtime. Loops.run still runs, says once why Ctrl-C skips the clean-up, and addSignalHandler names the remedy.
     */
    @Test
    void withoutJdkUnsupportedLoopsRunLeavesTheSignalsToTheJvmAndAddSignalHandlerNamesTheRemedy() throws Exception {
        try (ChildJvm child = start().jvmOption("--limit-modules=java.base").args("add-handler").start()) {
            assertEquals("addSignalHandler: java.lang.UnsupportedOperationException: addSignalHandler needs the "
                    + "module jdk.unsupported (sun.misc.Signal, the JDK's only signal API), which this runtime image "
                    + "lacks; add it to the image (jlink --add-modules jdk.unsupported)",
                    child.awaitLine("addSignalHandler", WAIT));
            child.awaitLine("ready", WAIT);
            child.signal("TERM");
            assertEquals(143, child.awaitExit(WAIT), child.transcript());
            assertTrue(child.transcript().contains("this runtime image has no module jdk.unsupported"),
                    child.transcript());
            assertFalse(child.transcript().contains("finally ran"), child.transcript());
        }
    }

    private static ChildJvm.Builder start() throws IOException {
        return ChildJvm.of(SignalledMain.class.getName()).jvmOption("-Dweft.loop=nio");
    }
}
