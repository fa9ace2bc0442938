package dev.weft.samples;

import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.http.HttpTimeouts;
import dev.weft.http.PoolLimits;
import dev.weft.scope.TaskGroup;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Weft's way: N tasks on the caller's loop share one session, each taking the next code until none is left, so at
 * most N requests are in flight ({@code flags2_asyncio.py}'s semaphore, without one). In a task of that loop.
 */
final class AsyncFlagDownloader implements FlagDownloader {
    private final String base;
    private final int concurrency;
    private final HttpSession session;

    AsyncFlagDownloader(String base, int concurrency, Duration timeout) {
        this.base = base;
        this.concurrency = concurrency;
        this.session = HttpSession.builder()
                .poolLimits(PoolLimits.DEFAULTS.withTotal(concurrency).withPerHost(concurrency))
                .timeouts(HttpTimeouts.DEFAULTS.withTotal(timeout))
                .build();
    }

    @Override
    public void round(List<String> codes, Consumer<FlagResult> done) {
        int[] next = {0}; // the tasks run on one loop, one at a time between waits: no lock
        TaskGroup.run(group -> {
            for (int i = 0; i < Math.min(concurrency, codes.size()); i++) {
                group.spawn(() -> {
                    while (next[0] < codes.size()) {
                        done.accept(fetch(codes.get(next[0]++)));
                    }
                });
            }
            return null;
        });
    }

    private FlagResult fetch(String code) {
        try (HttpResponse response = session.get(base + code.toLowerCase(Locale.ROOT) + ".png")) {
            return FlagResult.answered(code, response.status(), response.bytes(),
                    response.headers().first(FlagServer.DELAY_HEADER));
        } catch (IOException e) {
            return FlagResult.failed(code, e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
