package dev.weft.samples;

import dev.weft.http.HttpServer;
import dev.weft.http.ServerRequest;
import dev.weft.http.ServerResponse;
import dev.weft.loop.Async;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;

/**
 * The fib server of the talks Weft grew from: {@code /fib/N} computes a Fibonacci number the slow, recursive way (tens
 * of milliseconds of CPU for N = 30), {@code /fast} answers at once. Computed on the loop, a slow request holds every
 * fast one up behind it; moved to an executor with {@code runInExecutor} (the default) the loop stays free and fast
 * requests stay fast. {@code weft bench fib} measures both.
 */
final class FibServer implements AutoCloseable {
    /** Past this the recursion takes minutes: refused. */
    static final int MAX_N = 40;

    private final HttpServer http;
    private final ExecutorService executor; // null: computed on the loop
    private final CompletableFuture<Void> firstComputation = new CompletableFuture<>();

    private FibServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Start it (a port of 0: a free one), in a task of the loop that serves; on an executor of a thread per core. */
    static FibServer start(String host, int port, boolean onExecutor) throws IOException {
        ExecutorService executor = onExecutor
                ? Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                        Thread.ofPlatform().name("fib-", 0).daemon().factory())
                : null;
        try {
            FibServer[] server = new FibServer[1];
            HttpServer http = HttpServer.start(host, port, request -> server[0].answer(request));
            server[0] = new FibServer(http, executor);
            return server[0];
        } catch (IOException | RuntimeException e) {
            if (executor != null) {
                executor.shutdownNow();
            }
            throw e;
        }
    }

    int port() {
        return http.port();
    }

    /** Completes when the first /fib request begins to be computed. Any thread. */
    CompletionStage<Void> firstComputation() {
        return firstComputation;
    }

    private ServerResponse answer(ServerRequest request) {
        String path = request.path();
        if (path.equals("/fast")) {
            return ServerResponse.text(200, "fast\n");
        }
        if (!path.startsWith("/fib/")) {
            return ServerResponse.text(404, "the fib server answers /fib/N (N up to " + MAX_N + ") and /fast\n");
        }
        int n;
        try {
            n = Integer.parseInt(path.substring("/fib/".length()));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > MAX_N) {
            return ServerResponse.text(400, "N is a whole number from 0 to " + MAX_N + ", not '"
                    + path.substring("/fib/".length()) + "'\n");
        }
        int of = n;
        firstComputation.complete(null);
        long value = executor == null ? fib(of) : Async.await(Async.loop().runInExecutor(executor, () -> fib(of)));
        return ServerResponse.text(200, value + "\n");
    }

    /** On purpose the exponential way: CPU work that cannot be awaited, only moved. */
    static long fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** Stop it and its executor. In a task. */
    @Override
    public void close() {
        http.close();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
