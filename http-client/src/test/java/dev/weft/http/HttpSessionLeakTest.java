package dev.weft.http;

import dev.weft.loop.DebugMode;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.testkit.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Debug mode's warning for a session never closed: at its loop's close, or when it becomes garbage. */
@Timeout(30)
class HttpSessionLeakTest {
    private static final DebugMode DEBUG = new DebugMode(Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final String OPENED_HERE = "opened at\n\tat " + HttpSessionBuilder.class.getName() + ".build(";

    private LogCapture logs;

    @BeforeEach
    void capture() {
        logs = LogCapture.of("dev.weft.debug");
    }

    @AfterEach
    void release() {
        logs.close();
    }

    private List<String> warnings() {
        return logs.records(r -> r.getLevel() == Level.WARNING).stream().map(LogCapture::text).toList();
    }

    private static Supplier<EventLoop> debugLoop(String backend) {
        return () -> {
            EventLoop loop = TestLoops.named(backend).get();
            loop.setDebug(DEBUG);
            return loop;
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aSessionStillOpenWhenItsLoopClosesIsReported(String backend) {
        Loops.run(debugLoop(backend), () -> {
            HttpSession.builder().build(); // never closed
            return null;
        });
        List<String> warnings = warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.getFirst().startsWith("weft debug: HTTP session was still open when its loop closed"),
                warnings.getFirst());
        assertTrue(warnings.getFirst().contains(OPENED_HERE), warnings.getFirst());
        assertTrue(warnings.getFirst().contains(HttpSessionLeakTest.class.getName() + ".lambda$"), warnings.getFirst());
    }

    @Test
    void aClosedSessionIsNotReported() {
        Loops.run(debugLoop("nio"), () -> {
            try (HttpSession session = HttpSession.builder().build()) {
                return session.poolStats();
            }
        });
        assertEquals(List.of(), warnings());
    }

    @Test
    void aSessionThatBecomesGarbageUnclosedIsReported() throws Exception {
        CompletableFuture<LogRecord> firstWarning = logs.first(r -> r.getLevel() == Level.WARNING);
        String warning = Loops.run(debugLoop("nio"), () -> {
            HttpSession.builder().build(); // dropped at once, never closed
            for (int attempt = 0; attempt < 100; attempt++) {
                System.gc(); // the cleaner reports it once a collection has found it unreachable
                try {
                    return LogCapture.text(firstWarning.get(50, TimeUnit.MILLISECONDS));
                } catch (TimeoutException notYet) {
                    // collect again
                }
            }
            return "no warning after 100 collections";
        });
        assertTrue(warning.startsWith("weft debug: HTTP session became garbage without being closed"), warning);
        assertTrue(warning.contains(OPENED_HERE), warning);
        assertEquals(1, warnings().size(), "not again when the loop closed: " + warnings());
    }
}
