package dev.weft.nio;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.SignalCancellationException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link LoopsRunSignalTest} in a JVM of its own: a main task that waits, through a child task, for ever, and
 * says on standard output how far it unwinds when a signal comes. Options, as arguments:
 * <ul>
 *   <li>{@code join}: the shutdown hook joins the main thread first, as graceful-shutdown code often does;</li>
 *   <li>{@code hang}: main's {@code finally} hangs, until a second signal;</li>
 *   <li>{@code return}: main catches its cancellation and returns normally;</li>
 *   <li>{@code fail}: main fails with another exception while it unwinds;</li>
 *   <li>{@code catch}: the caller of {@code Loops.run} catches the {@link SignalCancellationException} and goes on;</li>
 *   <li>{@code add-handler}: main first tries {@code addSignalHandler("HUP", ...)} and prints what happened.</li>
 * </ul>
 */
public final class SignalledMain {
    public static void main(String[] args) throws Exception { // Loops.run throws what main throws
        Set<String> options = Set.copyOf(Arrays.asList(args));
        Thread mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (options.contains("join")) {
                    mainThread.join(); // deadlocks if the process exits from the main thread's own stack
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("shutdown hook ran");
        }));
        try {
            Loops.run(() -> body(options));
            System.out.println("Loops.run returned"); // never: a signal makes it throw
        } catch (SignalCancellationException e) {
            if (!options.contains("catch")) {
                throw e;
            }
            System.out.println("caught " + e.signal() + " " + e.exitStatus() + ": " + e.getMessage()
                    + " suppressed " + Arrays.toString(e.getSuppressed()));
        } finally {
            System.out.println("finally around Loops.run ran");
        }
        System.out.println("main method returned");
    }

    private static Void body(Set<String> options) throws InterruptedException {
        if (options.contains("add-handler")) {
            try {
                Async.loop().addSignalHandler("HUP", () -> { });
                System.out.println("addSignalHandler: added");
            } catch (RuntimeException e) {
                System.out.println("addSignalHandler: " + e);
            }
        }
        Task<Void> child = Tasks.spawn("child", () -> {
            try {
                Async.loop().<Void>createFuture().await();
                return null;
            } finally {
                System.out.println("child finally ran");
            }
        });
        try {
            System.out.println("ready");
            return child.await();
        } catch (CancellationException e) {
            System.out.println("main cancelled: " + e.getMessage());
            if (options.contains("return")) {
                return null;
            }
            if (options.contains("fail")) {
                throw new IllegalStateException("clean-up failed");
            }
            throw e;
        } finally {
            System.out.println("main finally ran");
            if (options.contains("hang")) {
                new CountDownLatch(1).await(); // a clean-up that never ends: only a second signal gets out
            }
        }
    }
}
