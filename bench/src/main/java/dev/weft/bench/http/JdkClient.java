package dev.weft.bench.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@link HttpClient}, HTTP/1.1 forced (it would try an h2c upgrade otherwise), driven as its documentation
 * suggests for blocking use: {@code concurrency} virtual threads, each calling {@code send} in turn. The client keeps
 * its own selector thread and default executor; they are part of what it costs.
 */
final class JdkClient implements LoadClient {
    @Override
    public void open(String baseUrl, Workload workload, User user) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<HttpRequest> requests = new ArrayList<>();
            for (String path : workload.paths()) {
                requests.add(HttpRequest.newBuilder(URI.create(baseUrl + path)).build());
            }
            user.use(count -> {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < workload.concurrency(); t++) {
                    workers.add(threads.submit(() -> {
                        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                            HttpRequest request = requests.get(i % requests.size());
                            HttpResponse<byte[]> response =
                                    client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            LoadClient.check(request.uri().toString(), response.statusCode(), response.body().length);
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            });
        }
    }
}
