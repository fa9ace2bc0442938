package dev.weft.http.peers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test tinyproxy forwards, logs each request, asks for its credentials, and leaves nothing behind. */
@Timeout(60)
class TinyproxyTest {

    @Test
    void forwardsAndLogsRequestsAndStopsByPid() throws Exception {
        long pid;
        try (Nginx nginx = Nginx.start(); Tinyproxy proxy = Tinyproxy.start(); HttpClient client = client(proxy)) {
            pid = proxy.pid();
            String url = nginx.baseUrl() + Nginx.BINARY_1K;
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.body());
            assertEquals(List.of("GET " + url + " HTTP/1.1"), proxy.requests());
            assertTrue(ProcessHandle.of(pid).isPresent());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "stopped by its PID");
    }

    @Test
    void withBasicAuthItAnswers407ToARequestWithoutCredentials() throws Exception {
        try (Tinyproxy proxy = Tinyproxy.builder().basicAuth("alice", "s3cret").start();
             HttpClient client = client(proxy)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(407, response.statusCode());
            assertEquals("Basic realm=\"Tinyproxy\"", response.headers().firstValue("Proxy-Authenticate")
                    .orElse(null));
        }
    }

    private static HttpClient client(Tinyproxy proxy) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
    }
}
