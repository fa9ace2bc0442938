package dev.weft.loop;

import dev.weft.nio.NioEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventLoop#addSignalHandler} racing {@link EventLoop#close} on another thread must not leave an entry behind
 * that holds the closed loop and keeps Weft's JVM handler installed. The race is made to happen every time: this test
 * holds {@link SignalHandlers}' lock while the adding thread waits for it, and closes the loop meanwhile (the lock is
 * reentrant, so close() goes through); only then does the add go on. An add that checked for a closed loop before
 * taking the lock would find it open and register it.
 */
@Timeout(30)
class SignalHandlersCloseRaceTest {

    @Test
    void anAddThatWaitedForTheLockWhileTheLoopClosedIsRefusedAndLeavesNothingBehind() throws Exception {
        SignalHandlers.signal("WINCH"); // initialized now, so that the adding thread waits for the lock and no more
        EventLoop loop = new NioEventLoop();
        CompletableFuture<Throwable> added = new CompletableFuture<>();
        Thread adder;
        synchronized (SignalHandlers.class) {
            adder = Thread.ofPlatform().name("adder").start(() -> {
                try {
                    loop.addSignalHandler("WINCH", () -> { });
                    added.complete(null);
                } catch (Throwable t) {
                    added.complete(t);
                }
            });
            awaitBlocked(adder);
            loop.close();
        }
        Throwable refused = added.get(10, TimeUnit.SECONDS);
        assertInstanceOf(LoopClosedException.class, refused, "the add must see the loop closed");
        assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
        SignalHandler current = Signal.handle(new Signal("WINCH"), SignalHandler.SIG_DFL);
        assertSame(SignalHandler.SIG_DFL, current, "no JVM handler of Weft's is left for the closed loop");
    }

    /** Wait until the thread waits for a monitor: the lock this test holds. */
    private static void awaitBlocked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.BLOCKED) {
            if (!thread.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the adding thread never waited for the lock: " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
