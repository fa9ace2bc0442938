package dev.weft.http.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test httpbin answers, and leaves nothing behind. One server for all checks: it takes a second to start. */
@Timeout(60)
class HttpbinTest {

    @Test
    void answersAndStopsByPid() throws Exception {
        Httpbin httpbin = Httpbin.start();
        Path dir = httpbin.directory();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> get = send(client, httpbin.baseUrl() + "/get?x=1", null);
            assertEquals(200, get.statusCode());
            assertTrue(get.body().replace(" ", "").contains("\"args\":{\"x\":\"1\"}"), get.body());

            assertEquals(418, send(client, httpbin.baseUrl() + "/status/418", null).statusCode());

            String credentials = Base64.getEncoder().encodeToString("user:pass".getBytes());
            assertEquals(200, send(client, httpbin.baseUrl() + "/basic-auth/user/pass", credentials).statusCode());
            assertEquals(401, send(client, httpbin.baseUrl() + "/basic-auth/user/pass", null).statusCode());

            HttpResponse<String> redirect = send(client, httpbin.baseUrl() + "/redirect/2", null);
            assertEquals(302, redirect.statusCode());
            assertEquals("/relative-redirect/1", redirect.headers().firstValue("Location").orElseThrow());
        } finally {
            httpbin.close();
        }
        assertFalse(ProcessHandle.of(httpbin.pid()).isPresent(), "httpbin's process is gone");
        assertFalse(Files.exists(dir), dir + " is deleted");
        assertFalse(PeerProcess.accepts(httpbin.port()), "nothing listens on its port");
    }

    private static HttpResponse<String> send(HttpClient client, String url, String basic) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (basic != null) {
            request.header("Authorization", "Basic " + basic);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
