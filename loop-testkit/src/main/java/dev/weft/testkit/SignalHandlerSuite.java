package dev.weft.testkit;

import dev.weft.loop.LoopClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Task;
import dev.weft.loop.TimerHandle;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventLoop#addSignalHandler} and {@link EventLoop#removeSignalHandler}, with real signals sent to this JVM by
 * {@code kill}, one at a time, each awaited: the JVM runs every delivery on a thread of its own, so two signals sent
 * together may be handled in either order. The signals are SIGWINCH and SIGURG, whose default is to be ignored: one
 * that arrives after its handler is gone cannot end the test JVM.
 */
public abstract class SignalHandlerSuite extends LoopSuite {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void aHandlerRunsAsACallbackOnTheLoopsThreadWhenTheProcessGetsTheSignal() {
        CompletableFuture<Thread> handledOn = new CompletableFuture<>();
        List<String> where = new CopyOnWriteArrayList<>();
        loop.addSignalHandler("SIGWINCH", () -> {
            where.add("inLoop=" + loop.inLoop() + " task=" + Task.currentOrNull());
            handledOn.complete(Thread.currentThread());
            loop.stop();
        });
        runUntilStopped(loop, "WINCH"); // the loop waits for I/O when the signal comes: the hand-off must wake it
        assertTrue(handledOn.isDone(), "the handler did not run within " + PATIENCE);
        assertSame(Thread.currentThread(), handledOn.join(), "runs on the thread that runs the loop");
        assertEquals(List.of("inLoop=true task=null"), where, "a callback of the loop, once");
    }

    /**
     * One signal at a time, each awaited, since the JVM delivers every signal on a thread of its own and in no
     * promised order. After the removal a second loop keeps a handler for the same signal, so the next delivery still
     * reaches Weft and is awaited there: a delivery hands the signal to the loops from one thread, in the order they
     * registered, so had this loop's handler outlived its removal it would be queued here before the other loop's
     * handler ran — and it would run in the turn this loop takes afterwards.
     */
    @Test
    void aNewHandlerReplacesTheLoopsEarlierOneAndARemovedOneNoLongerRuns() {
        EventLoop other = openLoop();
        List<String> ran = new CopyOnWriteArrayList<>();
        loop.addSignalHandler("WINCH", () -> ran.add("first"));
        loop.addSignalHandler("winch", () -> {
            ran.add("second");
            loop.stop();
        });
        runUntilStopped(loop, "WINCH");
        assertEquals(List.of("second"), ran);

        assertTrue(loop.removeSignalHandler("WINCH"));
        assertFalse(loop.removeSignalHandler("WINCH"), "removed already");
        other.addSignalHandler("WINCH", () -> {
            ran.add("other loop");
            other.stop();
        });
        runUntilStopped(other, "WINCH");
        runQueued(loop);
        assertEquals(List.of("second", "other loop"), ran, "the removed handler must not run");
    }

    @Test
    void everyLoopWithAHandlerForTheSignalRunsItsOwnEvenIfIdleWhenItCame() {
        EventLoop other = openLoop();
        List<String> ran = new CopyOnWriteArrayList<>();
        loop.addSignalHandler("WINCH", () -> {
            ran.add("this loop");
            loop.stop();
        });
        other.addSignalHandler("WINCH", () -> {
            ran.add("other loop");
            other.stop();
        });
        runUntilStopped(loop, "WINCH");
        runUntilStopped(other); // idle when the signal came: its handler was queued for it
        assertEquals(List.of("this loop", "other loop"), ran);
    }

    @Test
    void closingTheLoopRemovesItsHandlersAndPutsTheJvmsBack() {
        EventLoop other = openLoop();
        other.addSignalHandler("URG", () -> { });
        other.addSignalHandler("WINCH", () -> { });
        other.close();
        assertFalse(other.removeSignalHandler("URG"), "closing removed it");
        assertThrows(LoopClosedException.class, () -> other.addSignalHandler("URG", () -> { }));
        for (String name : List.of("URG", "WINCH")) {
            Signal signal = new Signal(name);
            SignalHandler current = Signal.handle(signal, SignalHandler.SIG_DFL);
            assertSame(SignalHandler.SIG_DFL, current, "SIG" + name + " has the JVM's default handler again");
        }
    }

    @Test
    void signalsNoHandlerCanHaveAreRefusedSayingWhyAndWhatToUse() {
        assertRefused("KILL", "SIGKILL cannot have a handler: no process can catch it");
        assertRefused("SIGSTOP", "SIGSTOP cannot have a handler: no process can catch it");
        assertRefused("QUIT", "SIGQUIT cannot have a handler: the JVM prints a thread dump on it");
        assertRefused("USR2", "SIGUSR2 cannot have a handler: HotSpot suspends and resumes threads with it");
        assertRefused("SEGV", "SIGSEGV cannot have a handler: the JVM uses it");
        assertRefused("PIPE", "SIGPIPE cannot have a handler: the JVM ignores it");
        for (String reserved : List.of("KILL", "QUIT", "PIPE")) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(reserved, () -> { })).getMessage();
            assertTrue(message.endsWith("handle another signal, such as HUP, USR1, WINCH or ALRM"), message);
        }
        for (String unknown : List.of("NOPE", "", "SIG")) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> loop.addSignalHandler(unknown, () -> { })).getMessage();
            assertTrue(message.startsWith("unknown signal '" + unknown + "': name one of this platform's signals as "
                    + "kill -l lists them"), message);
            assertThrows(IllegalArgumentException.class, () -> loop.removeSignalHandler(unknown));
        }
        assertThrows(NullPointerException.class, () -> loop.addSignalHandler("WINCH", null));
        assertFalse(loop.removeSignalHandler("WINCH"), "nothing was added");
    }

    private void assertRefused(String name, String expected) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> loop.addSignalHandler(name, () -> { }));
        assertTrue(refused.getMessage().startsWith(expected), refused.getMessage());
        assertNull(refused.getCause());
    }

    /** Let the loop run once what was queued for it until now, from this thread and others. */
    private static void runQueued(EventLoop target) {
        target.callSoon(target::stop);
        target.runForever();
    }

    /** Run the target loop on this thread until a handler stops it, or {@link #PATIENCE} passes. */
    private static void runUntilStopped(EventLoop target) {
        TimerHandle patience = target.callLater(PATIENCE, target::stop);
        try {
            target.runForever();
        } finally {
            patience.cancel();
        }
    }

    /** {@link #runUntilStopped(EventLoop)}, sending this JVM the signal from another thread once the loop runs. */
    private static void runUntilStopped(EventLoop target, String signal) {
        CompletableFuture<ForeignThread<Void>> sender = new CompletableFuture<>();
        target.callSoon(() -> sender.complete(onForeignThread(() -> {
            ChildJvm.kill(SELF, signal);
            return null;
        })));
        runUntilStopped(target);
        try {
            sender.join().result().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new AssertionError("sending SIG" + signal + " failed", e);
        }
    }
}
