package dev.weft.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WeftCommandTest {

    @AfterEach
    void forgetLoopChoice() {
        System.clearProperty("weft.loop"); // --loop sets it for the whole JVM
    }

    /**
     * On these machines (Linux, io_uring enabled) every backend runs, and auto picks the one of highest priority:
     * io_uring.
     */
    @Test
    void loopsListsEveryBackendAndAutoPicksIoUring() {
        CommandLine run = weft("loops");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.lines().anyMatch(line -> line.matches("\\* iouring\\s+30\\s+available\\s.*")), run.out);
        assertTrue(run.out.lines().anyMatch(line -> line.matches("  epoll\\s+20\\s+available\\s.*")), run.out);
        assertTrue(run.out.lines().anyMatch(line -> line.matches("  nio\\s+10\\s+available\\s.*")), run.out);
        assertTrue(run.out.lines().anyMatch(line -> line.matches("  vthreads\\s+5\\s+available\\s.*")), run.out);
        assertTrue(run.out.contains("picked: iouring"), run.out);
        assertTrue(run.out.contains("tasks:  carried by their loop"), run.out);
    }

    @Test
    void loopOptionPicksByName() {
        CommandLine run = weft("--loop", "nio", "loops");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("picked: nio (policy -Dweft.loop=nio)"), run.out);
    }

    @Test
    void unknownLoopExitsTwoNamingTheKnownLoops() {
        CommandLine run = weft("--loop", "bogus", "loops");
        assertEquals(2, run.status);
        assertTrue(run.err.contains("unknown event loop 'bogus'; known loops: auto, iouring, epoll, nio, vthreads"),
                run.err);
        assertEquals("", run.out);
    }

    @Test
    void loopOptionTakesItsValueAfterAnEqualsSign() {
        CommandLine run = weft("--loop=nio", "loops");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("picked: nio (policy -Dweft.loop=nio)"), run.out);
    }

    /** A forgotten name is a slip, not a wish for auto: it fails as a usage error and says what --loop takes. */
    @Test
    void loopWithoutANameExitsTwoNamingTheKnownLoops() {
        String expected = "weft: --loop needs a value: one of auto, iouring, epoll, nio, vthreads";
        for (String[] args : new String[][] {{"--loop"}, {"--loop="}, {"--loop=", "loops"}, {"--loop", "--help"}}) {
            CommandLine run = weft(args);
            assertEquals(2, run.status, String.join(" ", args) + ": " + run.err);
            assertEquals(expected, run.err.strip(), String.join(" ", args));
            assertEquals("", run.out, String.join(" ", args));
        }
    }

    @Test
    void unknownCommandAndMissingCommandExitTwo() {
        CommandLine bogus = weft("bogus");
        assertEquals(2, bogus.status);
        assertTrue(bogus.err.contains("unknown command 'bogus'; commands: loops, spinner, countdown"), bogus.err);
        CommandLine none = weft();
        assertEquals(2, none.status);
        assertTrue(none.err.contains("usage: weft"), none.err);
    }

    @Test
    void badOptionsExitTwoNamingTheProblem() {
        CommandLine notANumber = weft("countdown", "--from", "x");
        assertEquals(2, notANumber.status);
        assertEquals("weft countdown: --from must be a whole number from 1 to 1000, not 'x'", notANumber.err.strip());
        CommandLine unknown = weft("spinner", "--fast", "1");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err.contains("unknown argument --fast; options: --mode, --seconds"), unknown.err);
        CommandLine missing = weft("spinner", "--seconds");
        assertEquals(2, missing.status);
        assertTrue(missing.err.contains("--seconds needs a value"), missing.err);
        CommandLine joined = weft("countdown", "--from=x");
        assertEquals(2, joined.status);
        assertEquals("weft countdown: --from must be a whole number from 1 to 1000, not 'x'", joined.err.strip());
        CommandLine negative = weft("echo-client", "--timeout", "-1");
        assertEquals(2, negative.status);
        assertTrue(negative.err.contains("--timeout takes seconds from 0 to 3600, like 0.5; not '-1'"), negative.err);
    }

    @Test
    void helpListsTheCommands() {
        CommandLine run = weft("help");
        assertEquals(0, run.status);
        assertTrue(run.out.contains("loops ") && run.out.contains("spinner ") && run.out.contains("countdown "),
                run.out);
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndAnExample() {
        for (String command : List.of("loops", "spinner", "countdown", "echo-server", "echo-client", "http", "flags",
                "flag-server", "fib-server", "charfinder", "pipeline", "supervisor")) {
            for (String flag : List.of("--help", "-h")) {
                CommandLine run = weft(command, flag);
                assertEquals(0, run.status, command + " " + flag + ": " + run.err);
                assertTrue(run.out.toLowerCase(java.util.Locale.ROOT).startsWith("usage: weft"), command + ": "
                        + run.out);
            }
        }
        CommandLine launcher = weft("-h");
        assertEquals(0, launcher.status);
        assertTrue(launcher.out.contains("-V, --version"), launcher.out);
    }

    @Test
    void versionSaysTheJdkAndTheLoops() {
        for (String flag : List.of("--version", "-V", "version")) {
            CommandLine run = weft(flag);
            assertEquals(0, run.status, run.err);
            assertTrue(run.out.startsWith("weft ") && run.out.contains("JDK " + Runtime.version().feature())
                    && run.out.contains("nio"), run.out);
        }
    }

    @Test
    void theLoopMayBeChosenAfterTheCommand() {
        for (List<String> args : List.of(List.of("countdown", "--from", "1", "--tick", "0.001", "--loop", "nio"),
                List.of("countdown", "--loop=vthreads", "--from", "1", "--tick", "0.001"))) {
            CommandLine run = weft(args.toArray(String[]::new));
            assertEquals(0, run.status, run.err);
            assertTrue(run.out.contains("on the " + (args.contains("--loop") ? "nio" : "vthreads") + " loop"),
                    run.out);
        }
    }

    @Test
    void aMistypedCommandOrOptionIsAnsweredWithTheNearestOne() {
        CommandLine command = weft("flgs");
        assertEquals(2, command.status);
        assertTrue(command.err.startsWith("weft: unknown command 'flgs' (did you mean flags?); commands: "),
                command.err);
        CommandLine option = weft("echo-server", "--prot", "1");
        assertEquals(2, option.status);
        assertTrue(option.err.startsWith("weft echo-server: unknown argument --prot (did you mean --port?)"),
                option.err);
        CommandLine picocli = weft("flags", "--concurency", "3");
        assertEquals(2, picocli.status);
        assertTrue(picocli.err.contains("(did you mean --concurrency?)"), picocli.err);
        CommandLine launcher = weft("--lop", "nio", "loops");
        assertEquals(2, launcher.status);
        assertTrue(launcher.err.startsWith("weft: unknown option --lop (did you mean --loop?)"), launcher.err);
    }
}
