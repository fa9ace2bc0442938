package dev.weft.samples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * The baselines, with the JDK's {@code HttpClient} making blocking calls: one after the other on the caller's thread
 * (Fluent Python's {@code flags.py}), on a pool of platform threads ({@code flags_threadpool.py}), or on a virtual
 * thread per request with a semaphore keeping the concurrency (what a Java developer writes today); each result is
 * handed back to the caller's thread as it completes.
 */
final class JdkFlagDownloader implements FlagDownloader {
    private final String base;
    private final Duration timeout;
    private final HttpClient client;
    private final ExecutorService pool; // null: sequential
    private final Semaphore inFlight; // null: the pool's size bounds it

    private JdkFlagDownloader(String base, Duration timeout, ExecutorService pool, Semaphore inFlight) {
        this.base = base;
        this.timeout = timeout;
        this.pool = pool;
        this.inFlight = inFlight;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    static JdkFlagDownloader sequential(String base, Duration timeout) {
        return new JdkFlagDownloader(base, timeout, null, null);
    }

    static JdkFlagDownloader onThreads(String base, int threads, Duration timeout) {
        return new JdkFlagDownloader(base, timeout, Executors.newFixedThreadPool(threads), null);
    }

    static JdkFlagDownloader onVirtualThreads(String base, int concurrency, Duration timeout) {
        return new JdkFlagDownloader(base, timeout, Executors.newVirtualThreadPerTaskExecutor(),
                new Semaphore(concurrency));
    }

    @Override
    public void round(List<String> codes, Consumer<FlagResult> done) throws InterruptedException {
        if (pool == null) {
            for (String code : codes) {
                done.accept(fetch(code));
            }
            return;
        }
        CompletionService<FlagResult> results = new ExecutorCompletionService<>(pool);
        for (String code : codes) {
            results.submit(() -> fetch(code));
        }
        for (int i = 0; i < codes.size(); i++) {
            try {
                done.accept(results.take().get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a download failed past its own handling", e.getCause());
            }
        }
    }

    private FlagResult fetch(String code) throws InterruptedException {
        if (inFlight == null) {
            return send(code);
        }
        inFlight.acquire();
        try {
            return send(code);
        } finally {
            inFlight.release();
        }
    }

    private FlagResult send(String code) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + code.toLowerCase(Locale.ROOT) + ".png"))
                .timeout(timeout).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return FlagResult.answered(code, response.statusCode(), response.body(),
                    response.headers().firstValue(FlagServer.DELAY_HEADER).orElse(null));
        } catch (IOException e) {
            return FlagResult.failed(code, e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        client.close();
    }
}
