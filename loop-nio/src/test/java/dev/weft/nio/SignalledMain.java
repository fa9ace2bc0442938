package dev.weft.nio;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

/**
 * Run by {@link LoopsRunSignalTest} in a JVM of its own: a main task that waits, through a child task, for ever, and
 * says on standard output how far it unwinds when a signal comes. {@code hang} makes main's {@code finally} hang.
 */
public final class SignalledMain {
    public static void main(String[] args) throws Exception { // Loops.run throws what main throws
        boolean hang = args.length > 0 && args[0].equals("hang");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        Loops.run(() -> {
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
                throw e;
            } finally {
                System.out.println("main finally ran");
                if (hang) {
                    new CountDownLatch(1).await(); // a clean-up that never ends: only a second signal gets out
                }
            }
        });
        System.out.println("Loops.run returned"); // never: a signal ends the process inside Loops.run
    }
}
