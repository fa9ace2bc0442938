package dev.weft.vthreads;

import dev.weft.net.NetworkLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A loop running on a platform thread of its own, for tests where two loops (two backends) talk to each other: the
 * test thread reaches it only through thread-safe submission, as any foreign thread must.
 */
final class LoopThread implements AutoCloseable {
    static final long PATIENCE_SECONDS = 20;

    final NetworkLoop loop;
    private final Thread thread;

    LoopThread(String name, NetworkLoop loop) {
        this.loop = loop;
        this.thread = Thread.ofPlatform().name(name).daemon().start(loop::runForever);
    }

    /** Run the body as a task on the loop and wait for its result. */
    <T> T call(dev.weft.loop.Body<T, ?> body) throws Exception {
        return loop.submit(body).get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    /** Wait for a future completed on the loop. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    /** Stop the loop, wait for its thread, then close it (a loop is closed only while it does not run). */
    @Override
    public void close() throws InterruptedException {
        loop.stop();
        if (!thread.join(java.time.Duration.ofSeconds(PATIENCE_SECONDS))) {
            throw new AssertionError(thread + " did not stop");
        }
        loop.close();
    }
}
