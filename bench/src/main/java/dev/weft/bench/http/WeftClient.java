package dev.weft.bench.http;

import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.http.PoolLimits;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;
import dev.weft.scope.TaskGroup;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Weft's {@link HttpSession} on one backend, found by name as any program finds it. Everything runs in one loop on
 * one thread: a session belongs to its loop. Each batch is {@code concurrency} tasks taking the next request number
 * until the batch's count is reached; the session's per-host limit is the concurrency, so every task gets its own
 * connection and keeps it.
 */
final class WeftClient implements LoadClient {
    private final Supplier<EventLoop> loops;

    private WeftClient(Supplier<EventLoop> loops) {
        this.loops = loops;
    }

    /** @throws dev.weft.loop.UnknownLoopException if no backend of that name is on the class path */
    static WeftClient on(String backend) {
        return new WeftClient(new NamedLoopPolicy(backend).choose(Loops.providers())::newLoop);
    }

    @Override
    public void open(String baseUrl, Workload workload, User user) throws Exception {
        Loops.run(loops, () -> {
            PoolLimits limits = PoolLimits.DEFAULTS.withPerHost(workload.concurrency());
            try (HttpSession session = HttpSession.builder().poolLimits(limits).build()) {
                user.use(requests -> batch(session, baseUrl, workload, requests));
            }
        });
    }

    private static void batch(HttpSession session, String baseUrl, Workload workload, int requests) {
        AtomicInteger next = new AtomicInteger(); // atomic for the vthreads backend's tasks, cheap on the others
        try (TaskGroup group = TaskGroup.open()) {
            for (int t = 0; t < workload.concurrency(); t++) {
                group.spawn(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String url = baseUrl + workload.path(i);
                        try (HttpResponse response = session.get(url)) {
                            LoadClient.check(url, response.status(), response.bytes().length);
                        }
                    }
                });
            }
        }
    }
}
