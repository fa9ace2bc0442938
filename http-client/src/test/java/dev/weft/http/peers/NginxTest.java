package dev.weft.http.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test nginx serves what its Javadoc promises, and leaves nothing behind. */
@Timeout(60)
class NginxTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static Nginx nginx;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        nginx = Nginx.builder().https().keepaliveRequests(2)
                .serverConfig("location = /empty { return 204; }").start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(nginx.certificates().clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void servesTheKnownFilesWithTheirLength() throws Exception {
        for (String path : List.of(Nginx.TEXT_1K, Nginx.BINARY_1K, Nginx.BINARY_1M)) {
            HttpResponse<byte[]> response = get(nginx.baseUrl() + path, "identity");
            assertEquals(200, response.statusCode(), path);
            assertArrayEquals(Nginx.expectedBody(path), response.body(), path);
            assertEquals(Optional.of(Long.toString(Nginx.expectedBody(path).length)),
                    response.headers().firstValue("Content-Length"), path);
        }
    }

    @Test
    void servesFlagPngs() throws Exception {
        List<String> codes = Nginx.flagCodes();
        assertTrue(codes.size() > 200 && codes.contains("cn") && codes.contains("fr"), "flag codes: " + codes);
        HttpResponse<byte[]> response = get(nginx.baseUrl() + "/flags/cn.png", "identity");
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("image/png"), response.headers().firstValue("Content-Type"));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(response.body(), PNG_SIGNATURE.length));
    }

    @Test
    void gzipsTextInChunksWhenAsked() throws Exception {
        HttpResponse<byte[]> response = get(nginx.baseUrl() + Nginx.TEXT_1M, "gzip");
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of("gzip"), response.headers().firstValue("Content-Encoding"));
        assertEquals(Optional.of("chunked"), response.headers().firstValue("Transfer-Encoding"));
        assertTrue(response.body().length < 100_000, "1 MiB of repeated text gzips small: " + response.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertArrayEquals(Nginx.expectedBody(Nginx.TEXT_1M), in.readAllBytes());
        }
        HttpResponse<byte[]> binary = get(nginx.baseUrl() + Nginx.BINARY_1K, "gzip");
        assertEquals(Optional.empty(), binary.headers().firstValue("Content-Encoding"), "binary is never gzip'd");
    }

    @Test
    void servesHttpsTrustedByItsOwnCa() throws Exception {
        HttpResponse<byte[]> response = get(nginx.httpsBaseUrl() + Nginx.BINARY_1K, "identity");
        assertEquals(200, response.statusCode());
        assertArrayEquals(Nginx.expectedBody(Nginx.BINARY_1K), response.body());

        // The JDK's own trust store does not know the test CA.
        try (HttpClient untrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(nginx.httpsBaseUrl() + "/1k.bin")).build();
            assertThrows(SSLHandshakeException.class,
                    () -> untrusting.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
    }

    @Test
    void closesAConnectionAfterKeepaliveRequests() throws Exception {
        // keepaliveRequests(2): the second response on a connection says it is the last.
        try (RawClient connection = RawClient.connect(nginx.port())) {
            assertFalse(connection.get("/1k.txt").contains("Connection: close"));
            assertTrue(connection.get("/1k.txt").contains("Connection: close"));
        }
    }

    @Test
    void takesExtraServerConfigAndServesFilesWrittenLater() throws Exception {
        assertEquals(204, get(nginx.baseUrl() + "/empty", "identity").statusCode());
        Files.writeString(nginx.docroot().resolve("later.txt"), "written after start");
        assertEquals("written after start", new String(get(nginx.baseUrl() + "/later.txt", "identity").body()));
    }

    @Test
    void closesIdleConnectionsAfterKeepaliveTimeout() throws Exception {
        try (Nginx quick = Nginx.builder().keepaliveTimeout(Duration.ofMillis(100)).accessLog(false).start();
             RawClient connection = RawClient.connect(quick.port())) {
            assertFalse(connection.get("/1k.bin").contains("Connection: close"));
            assertTrue(connection.awaitEof(Duration.ofSeconds(5)), "nginx closed the idle connection");
        }
    }

    @Test
    void stopsByPidAndDeletesItsDirectory() throws Exception {
        Nginx own = Nginx.start();
        Path dir = own.docroot().getParent();
        List<Long> workers = own.workerPids();
        assertEquals(1, workers.size(), "one worker by default");
        own.close();
        assertFalse(ProcessHandle.of(own.pid()).isPresent(), "the master is gone");
        for (long worker : workers) {
            assertFalse(ProcessHandle.of(worker).isPresent(), "worker " + worker + " is gone");
        }
        assertFalse(Files.exists(dir), dir + " is deleted");
        assertFalse(PeerProcess.accepts(own.port()), "nothing listens on its port");
        own.close(); // idempotent
    }

    @Test
    void killsAnNginxThatDoesNotStopGracefully() throws Exception {
        Nginx own = Nginx.builder().accessLog(false).start();
        List<Long> workers = own.workerPids();
        try (RawClient stalled = RawClient.connect(own.port())) {
            // A client that asks for megabytes and reads none: nginx's graceful stop waits for it forever.
            stalled.send(("GET " + Nginx.BINARY_1M + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(8));
            // Its head arrived, so nginx is mid-answer: asked to stop before it read the requests, it stops at once.
            assertTrue(stalled.readHead().startsWith("HTTP/1.1 200"));
            long start = System.nanoTime();
            own.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(PeerProcess.STOP_GRACE) >= 0, "it waited for the graceful stop: " + took);
        }
        assertFalse(ProcessHandle.of(own.pid()).isPresent(), "the master is gone");
        for (long worker : workers) {
            assertFalse(ProcessHandle.of(worker).isPresent(), "worker " + worker + " is gone");
        }
        assertFalse(Files.exists(own.docroot().getParent()));
    }

    @Test
    void aConfigNginxRejectsFailsStartWithItsMessage() {
        IOException e = assertThrows(IOException.class,
                () -> Nginx.builder().serverConfig("no_such_directive on;").start());
        assertTrue(e.getMessage().contains("unknown directive \"no_such_directive\""), e.getMessage());
    }

    @Test
    void httpsIsOnlyThereWhenAskedFor() throws Exception {
        try (Nginx plain = Nginx.builder().accessLog(false).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, plain::httpsBaseUrl);
            assertTrue(e.getMessage().contains("Nginx.builder().https()"), e.getMessage());
        }
    }

    private static HttpResponse<byte[]> get(String url, String acceptEncoding) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", acceptEncoding)
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
