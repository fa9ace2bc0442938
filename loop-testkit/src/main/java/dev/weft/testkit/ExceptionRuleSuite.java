package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;
import dev.weft.scope.ChildFailedException;
import dev.weft.scope.Futures;
import dev.weft.scope.TaskGroup;
import dev.weft.scope.Timeout;
import dev.weft.sync.Lock;
import dev.weft.sync.Semaphore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exception rule (docs/design.md): a body's failure reaches the code that awaits it as the same object. A body run
 * in the caller's own task (Timeout, withPermit/withLock, TaskGroup.run's body, Loops.run) throws through as itself,
 * checked ones declared; a failure of another task (Task.await, Futures.gather, a group's children) comes as itself
 * if unchecked and in a CompletionException, the one wrapper, if checked. The port prober's case: a refused connect
 * is told from anything else by its type on every path, with no hand-written unwrapping.
 */
public abstract class ExceptionRuleSuite extends LoopSuite {
    private int refusedPort;

    @BeforeEach
    final void findARefusingPort() throws IOException {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOCALHOST))) {
            refusedPort = socket.getLocalPort(); // closed at once: connecting to it is refused
        }
    }

    private StreamConnection connectRefused() throws IOException {
        return Streams.openConnection(LOCALHOST, refusedPort);
    }

    /** What the prober writes: the refused connect is caught by its own type, whatever path it came through. */
    private static String probe(IoCall call) {
        try {
            call.run();
            return "open";
        } catch (ConnectException e) {
            return "closed";
        } catch (IOException e) {
            return "error: " + e;
        }
    }

    @FunctionalInterface
    private interface IoCall {
        void run() throws IOException;
    }

    @Test
    void aRefusedConnectIsAConnectExceptionThroughEveryPathThatRunsTheBodyInTheCallersTask() {
        List<String> seen = run(() -> {
            Semaphore semaphore = new Semaphore(1);
            Lock lock = new Lock();
            return List.of(
                    probe(this::connectRefused),
                    probe(() -> Timeout.after(PATIENCE, this::connectRefused)),
                    probe(() -> semaphore.withPermit(this::connectRefused)),
                    probe(() -> lock.withLock(this::connectRefused)),
                    probe(() -> TaskGroup.run(group -> connectRefused())),
                    probe(() -> Tasks.shielded(this::connectRefused)));
        });
        assertEquals(List.of("closed", "closed", "closed", "closed", "closed", "closed"), seen);
    }

    @Test
    void loopsRunThrowsTheRefusedConnectAsItself() {
        ConnectException refused = assertThrows(ConnectException.class,
                () -> Loops.run(this::openLoop, this::connectRefused));
        assertInstanceOf(ConnectException.class, refused);
    }

    @Test
    void aRefusedConnectInAnotherTaskComesInTheOneWrapperWithTheSameObjectAsCause() {
        run(() -> {
            Task<StreamConnection> attempt = Tasks.spawn(this::connectRefused);
            CompletionException viaAwait = assertThrows(CompletionException.class, attempt::await);
            Throwable original = attempt.exception();
            assertInstanceOf(ConnectException.class, original);
            assertSame(original, viaAwait.getCause());
            assertSame(original, assertThrows(ConnectException.class, () -> attempt.awaitChecked(IOException.class)),
                    "awaitChecked throws it as itself");
            assertSame(original, assertThrows(CompletionException.class,
                    () -> Futures.gather(attempt).await()).getCause());
            assertSame(original, assertThrows(CompletionException.class, attempt::result).getCause());
            return null;
        });
    }

    @Test
    void aGroupsChildThatIsRefusedComesInTheOneWrapperThroughBothForms() {
        run(() -> {
            CompletionException viaRun = assertThrows(CompletionException.class, () -> TaskGroup.run(group -> {
                group.spawn(this::connectRefused);
                return null;
            }));
            assertInstanceOf(ConnectException.class, viaRun.getCause());
            ChildFailedException viaClose = assertThrows(ChildFailedException.class, () -> {
                try (TaskGroup group = TaskGroup.open()) {
                    group.spawn(this::connectRefused);
                }
            });
            assertInstanceOf(CompletionException.class, viaClose, "the same wrapper type as every other path");
            assertInstanceOf(ConnectException.class, viaClose.getCause());
            return null;
        });
    }

    @Test
    void anUncheckedFailureOfAnotherTaskComesAsItself() {
        IllegalStateException boom = new IllegalStateException("boom");
        run(() -> {
            Task<Void> failing = Tasks.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, failing::await));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> TaskGroup.run(group -> {
                group.spawn(() -> {
                    throw boom;
                });
                return null;
            })));
            return null;
        });
    }

    @Test
    void severalFailuresInAGroupThrowTheFirstWithTheRestSuppressedInBothForms() {
        run(() -> {
            IllegalStateException first = new IllegalStateException("first");
            IllegalArgumentException second = new IllegalArgumentException("second");
            IllegalStateException viaRun = assertThrows(IllegalStateException.class, () -> TaskGroup.run(group -> {
                failBoth(group, first, second);
                return null;
            }));
            assertSame(first, viaRun, "an unchecked first failure is thrown as itself, the rest suppressed on it");
            assertArrayEquals(new Throwable[] {second}, viaRun.getSuppressed());
            IllegalStateException first2 = new IllegalStateException("first");
            IllegalArgumentException second2 = new IllegalArgumentException("second");
            ChildFailedException viaClose = assertThrows(ChildFailedException.class, () -> {
                try (TaskGroup group = TaskGroup.open()) {
                    failBoth(group, first2, second2);
                }
            });
            assertSame(first2, viaClose.getCause());
            assertArrayEquals(new Throwable[] {second2}, viaClose.getSuppressed());
            assertArrayEquals(new Throwable[0], first2.getSuppressed(), "close() wraps: the child's own is untouched");
            return null;
        });
    }

    /** A ChildFailedException carries more than its cause: it crosses a CompletionStage whole, not unwrapped. */
    @Test
    void aGroupsFailureCrossesACompletionStageWhole() {
        run(() -> {
            IllegalStateException first = new IllegalStateException("first");
            IllegalArgumentException second = new IllegalArgumentException("second");
            CompletableFuture<Void> elsewhere = loop.submit(() -> {
                try (TaskGroup group = TaskGroup.open()) {
                    failBoth(group, first, second);
                }
            });
            ChildFailedException seen = assertThrows(ChildFailedException.class, () -> Async.await(elsewhere));
            assertSame(first, seen.getCause());
            assertArrayEquals(new Throwable[] {second}, seen.getSuppressed());
            return null;
        });
    }

    /** Two children that fail in the same loop turn, the first one first: neither is cancelled before it fails. */
    private static void failBoth(TaskGroup group, RuntimeException first, RuntimeException second) {
        group.spawn(() -> {
            throw first;
        });
        group.spawn(() -> {
            throw second;
        });
    }

    @Test
    void aCheckedFailureOfSeveralInAGroupIsWrappedOnceWithTheRestSuppressedOnTheWrapper() {
        IOException first = new IOException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        run(() -> {
            CompletionException thrown = assertThrows(CompletionException.class, () -> TaskGroup.run(group -> {
                group.spawn(() -> {
                    throw first;
                });
                group.spawn(() -> {
                    throw second;
                });
                return null;
            }));
            assertSame(first, thrown.getCause());
            assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
            assertArrayEquals(new Throwable[0], first.getSuppressed(), "the child's own exception is left as it was");
            return null;
        });
    }
}
