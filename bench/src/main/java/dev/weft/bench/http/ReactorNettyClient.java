package dev.weft.bench.http;

import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty's {@link HttpClient}, the Netty-based client: its own event loop (one thread, as the process has one
 * core) and a pool of {@code concurrency} connections, driven by a {@code flatMap} that keeps {@code concurrency}
 * requests in flight. Each body is aggregated into a byte array, as the other clients' are.
 */
final class ReactorNettyClient implements LoadClient {
    @Override
    public void open(String baseUrl, Workload workload, User user) throws Exception {
        ConnectionProvider pool = ConnectionProvider.builder("bench")
                .maxConnections(workload.concurrency())
                .pendingAcquireMaxCount(-1)
                .build();
        LoopResources loops = LoopResources.create("bench", 1, true);
        try {
            HttpClient client = HttpClient.create(pool).runOn(loops).baseUrl(baseUrl);
            user.use(requests -> Flux.range(0, requests)
                    .flatMap(i -> {
                        String path = workload.path(i);
                        return client.get().uri(path).responseSingle((response, body) -> body.asByteArray()
                                .defaultIfEmpty(new byte[0])
                                .doOnNext(bytes -> LoadClient.check(baseUrl + path, response.status().code(),
                                        bytes.length)));
                    }, workload.concurrency())
                    .blockLast());
        } finally {
            pool.disposeLater().block();
            loops.disposeLater().block();
        }
    }
}
