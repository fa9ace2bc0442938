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
import java.util.function.Consumer;

/**
 * The baselines of Fluent Python's {@code flags.py} and {@code flags_threadpool.py}, with the JDK's
 * {@code HttpClient} making blocking calls: one after the other on the caller's thread ({@code threads == 0}), or on a
 * pool of that many platform threads, each result handed back to the caller's thread as it completes.
 */
final class JdkFlagDownloader implements FlagDownloader {
    private final String base;
    private final Duration timeout;
    private final HttpClient client;
    private final ExecutorService pool; // null: sequential

    JdkFlagDownloader(String base, int threads, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.pool = threads == 0 ? null : Executors.newFixedThreadPool(threads);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + code.toLowerCase(Locale.ROOT) + ".png"))
                .timeout(timeout).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? FlagResult.ok(code, response.body())
                    : FlagResult.status(code, response.statusCode());
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
