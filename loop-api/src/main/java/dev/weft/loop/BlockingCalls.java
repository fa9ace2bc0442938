package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loop's default executor for {@link EventLoop#runInExecutor}: a virtual thread per blocking call, made lazily on
 * the JDK's default scheduler. Named explicitly because the JDK gives a virtual thread made without a scheduler its
 * creator's: made inside a carried task it would be carried by the loop and block it.
 */
final class BlockingCalls {
    private final String threadPrefix;
    private ExecutorService executor;

    BlockingCalls(String backendName) {
        this.threadPrefix = "weft-" + backendName + "-blocking-";
    }

    /** Start the call on the executor, or on the default one if null; the stage completes with its outcome. */
    <T> CompletableFuture<T> start(Executor chosen, Body<T, ?> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, chosen != null ? chosen : defaultExecutor());
    }

    private ExecutorService defaultExecutor() {
        if (executor == null) {
            executor = Executors.newThreadPerTaskExecutor(CarriedThreads.offLoopBuilder().name(threadPrefix, 0).factory());
        }
        return executor;
    }

    /** Interrupt the calls still running and wait up to a second for their threads to end. */
    void shutdown() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                System.getLogger("dev.weft.loop").log(Level.WARNING,
                        "weft: blocking calls of runInExecutor still running 1 s after close: " + threadPrefix + "*");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
