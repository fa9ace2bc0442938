package dev.weft.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task's thread names its task through its uncaught-exception handler: what that gives, and what replacing it costs. */
@Timeout(30)
class TaskIdentityTest {
    @ParameterizedTest
    @EnumSource(TaskMode.class)
    void aBodyFindsItsOwnTaskAndNoOtherThreadFindsOne(TaskMode mode) {
        try (BareLoop loop = new BareLoop("identity", mode)) {
            Task<?>[] seen = new Task<?>[1];
            Task<Void> task = loop.createTask(() -> {
                seen[0] = Task.currentOrNull();
            });
            loop.runUntilComplete(task);
            assertSame(task, seen[0]);
            assertNull(Task.currentOrNull(), "the test's own thread runs no task");
        }
    }

    /** The JDK gives a new thread no handler of its creator's (Thread's constructors, ThreadBuilders). */
    @ParameterizedTest
    @EnumSource(TaskMode.class)
    void aThreadStartedInATaskIsNotThatTask(TaskMode mode) {
        try (BareLoop loop = new BareLoop("identity", mode)) {
            AtomicReference<Object> virtual = new AtomicReference<>("not run");
            AtomicReference<Object> platform = new AtomicReference<>("not run");
            Task<Void> task = loop.createTask(() -> {
                Thread.ofVirtual().start(() -> virtual.set(Task.currentOrNull())).join();
                Thread.ofPlatform().start(() -> platform.set(Task.currentOrNull())).join();
            });
            loop.runUntilComplete(task);
            assertNull(virtual.get());
            assertNull(platform.get());
        }
    }

    /**
     * A library that hands its threads the handler of the thread that made them (a common way to keep uncaught failures
     * going where the caller's go) must not make them the task: such a thread would pass every confinement check while
     * it runs beside the loop, and its await would park it while waking the task's thread instead.
     */
    @ParameterizedTest
    @EnumSource(TaskMode.class)
    void aThreadGivenItsCreatorsHandlerIsNotMistakenForTheTask(TaskMode mode) {
        try (BareLoop loop = new BareLoop("identity", mode)) {
            AtomicReference<Object> seen = new AtomicReference<>("not run");
            AtomicReference<Object> callSoon = new AtomicReference<>("not run");
            Task<Void> task = loop.createTask(() -> {
                Thread.UncaughtExceptionHandler mine = Thread.currentThread().getUncaughtExceptionHandler();
                Thread.ofPlatform().uncaughtExceptionHandler(mine).start(() -> {
                    seen.set(Task.currentOrNull());
                    callSoon.set(tryCallSoon(loop));
                }).join();
            });
            loop.runUntilComplete(task);
            assertNull(seen.get(), "a thread that is not the task's own is no task");
            assertInstanceOf(WrongThreadException.class, callSoon.get());
        }
    }

    /** That thread's failure still reaches the loop's exception handler, on the loop, named for the thread it was. */
    @ParameterizedTest
    @EnumSource(TaskMode.class)
    void aThreadGivenItsCreatorsHandlerFailsToTheLoopOnTheLoop(TaskMode mode) {
        try (BareLoop loop = new BareLoop("identity", mode)) {
            Future<UnhandledError> reported = loop.createFuture();
            Thread[] handledOn = new Thread[1];
            loop.setExceptionHandler((l, error) -> {
                handledOn[0] = Thread.currentThread();
                reported.setResult(error);
            });
            IllegalStateException thrown = new IllegalStateException("a library's thread failed");
            Task<UnhandledError> task = loop.createTask(() -> {
                Thread.UncaughtExceptionHandler mine = Thread.currentThread().getUncaughtExceptionHandler();
                Thread.ofPlatform().name("library-worker").uncaughtExceptionHandler(mine).start(() -> {
                    throw thrown;
                }).join();
                return reported.await();
            });
            UnhandledError error = loop.runUntilComplete(task);
            assertSame(thrown, error.exception());
            assertTrue(error.message().contains("'library-worker'"), error.message());
            assertSame(Thread.currentThread(), handledOn[0], "the handler ran on the loop (this test's thread)");
        }
    }

    @Test
    void aBodyThatReplacesItsThreadsHandlerIsRefusedConfinedCallsWithAClearError() {
        try (BareLoop loop = new BareLoop("identity")) {
            Task<Object> task = loop.createTask(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((thread, failure) -> { });
                return tryCallSoon(loop);
            });
            assertInstanceOf(WrongThreadException.class, loop.runUntilComplete(task));
        }
    }

    /** A confined call from the calling thread: "accepted", or the loop's refusal. */
    private static Object tryCallSoon(EventLoop loop) {
        try {
            loop.callSoon(() -> { });
            return "accepted";
        } catch (WrongThreadException refused) {
            return refused;
        }
    }
}
