package dev.weft.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A task's thread names its task through its uncaught-exception handler: what that gives, and what replacing it costs. */
@Timeout(30)
class TaskIdentityTest {
    @Test
    void aBodyFindsItsOwnTaskAndNoOtherThreadFindsOne() {
        try (BareLoop loop = new BareLoop("identity")) {
            Task<?>[] seen = new Task<?>[1];
            Task<Void> task = loop.createTask(() -> {
                seen[0] = Task.currentOrNull();
            });
            loop.runUntilComplete(task);
            assertSame(task, seen[0]);
            assertNull(Task.currentOrNull(), "the test's own thread runs no task");
        }
    }

    @Test
    void aBodyThatReplacesItsThreadsHandlerIsRefusedConfinedCallsWithAClearError() {
        try (BareLoop loop = new BareLoop("identity")) {
            Task<Object> task = loop.createTask(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((thread, failure) -> { });
                try {
                    loop.callSoon(() -> { });
                    return "accepted";
                } catch (WrongThreadException refused) {
                    return refused;
                }
            });
            assertInstanceOf(WrongThreadException.class, loop.runUntilComplete(task));
        }
    }
}
