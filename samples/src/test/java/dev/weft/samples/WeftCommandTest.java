package dev.weft.samples;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class WeftCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forgetLoopChoice() {
        System.clearProperty("weft.loop"); // --loop sets it for the whole JVM
    }

    private int weft(String... args) {
        return Weft.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void loopsListsNioAsAvailableAndPicked() {
        assertEquals(0, weft("loops"), stderr());
        assertTrue(stdout().lines().anyMatch(line -> line.matches("\\* nio\\s+10\\s+available\\s.*")), stdout());
        assertTrue(stdout().contains("picked: nio"), stdout());
        assertTrue(stdout().contains("tasks:  carried by their loop"), stdout());
    }

    @Test
    void loopOptionPicksByName() {
        assertEquals(0, weft("--loop", "nio", "loops"), stderr());
        assertTrue(stdout().contains("picked: nio (policy -Dweft.loop=nio)"), stdout());
    }

    @Test
    void unknownLoopExitsTwoNamingTheKnownLoops() {
        assertEquals(2, weft("--loop", "bogus", "loops"));
        assertTrue(stderr().contains("unknown event loop 'bogus'; known loops: auto, nio"), stderr());
        assertEquals("", stdout());
    }

    @Test
    void unknownCommandAndMissingCommandExitTwo() {
        assertEquals(2, weft("bogus"));
        assertTrue(stderr().contains("unknown command 'bogus'; commands: loops"), stderr());
        assertEquals(2, weft());
        assertTrue(stderr().contains("usage: weft"), stderr());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, weft("help"));
        assertTrue(stdout().contains("loops "), stdout());
    }
}
