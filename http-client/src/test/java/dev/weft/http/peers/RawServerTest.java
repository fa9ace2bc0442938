package dev.weft.http.peers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.loop.Loops;
import java.io.EOFException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RawServer plays its script on each connection and records what the client sent. */
@Timeout(30)
class RawServerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void playsTheScriptAndRecordsTheRequest() throws Exception {
        try (RawServer server = RawServer.start(c -> c.readRequest().write(RawResponses.ok("hello")).close());
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/path?q=1"))
                    .header("X-Test", "one").POST(HttpRequest.BodyPublishers.ofString("body!"))
                    .timeout(WAIT).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("hello", response.body());

            server.awaitScripts(1, WAIT);
            RecordedRequest received = server.requests().getFirst();
            assertEquals(1, server.requests().size());
            assertEquals("POST", received.method());
            assertEquals("/path?q=1", received.target());
            assertEquals("HTTP/1.1", received.version());
            assertEquals("one", received.header("x-test"));
            assertEquals("body!", received.bodyText());
            assertTrue(received.head().startsWith("POST /path?q=1 HTTP/1.1\r\n"), received.head());
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    @Test
    void servesAKeepAliveConnectionThenClosesItIdle() throws Exception {
        try (RawServer server = RawServer.start(c -> {
            for (int i = 0; i < 2; i++) {
                c.readRequest().write(RawResponses.ok("r" + i));
            }
            c.close();
        }); RawClient client = RawClient.connect(server.port())) {
            assertTrue(client.get("/a").startsWith("HTTP/1.1 200 OK\r\n"));
            assertTrue(client.get("/b").startsWith("HTTP/1.1 200 OK\r\n"));
            assertTrue(client.awaitEof(WAIT), "the server closed the idle connection");
            server.awaitScripts(1, WAIT);
            assertEquals(List.of("/a", "/b"), server.requests().stream().map(RecordedRequest::target).toList());
            assertEquals(List.of(0, 0), server.requests().stream().map(RecordedRequest::connection).toList());
            assertEquals(1, server.connections());
        }
    }

    /**
     * A virtual thread inherits its parent's scheduler: a server started in a Weft task must not run its threads on
     * that task's loop, or it would die with the loop (and share its thread with the client under test).
     */
    @Test
    void aServerStartedInAWeftTaskOutlivesTheLoop() throws Exception {
        try (RawServer server = Loops.run(() -> RawServer.start(c -> c.readRequest().write(RawResponses.ok("hi"))));
             RawClient client = RawClient.connect(server.port())) {
            assertTrue(client.get("/after").startsWith("HTTP/1.1 200 OK\r\n"), "answered after the loop closed");
            server.awaitScripts(1, WAIT);
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    @Test
    void resetsMidBody() throws Exception {
        String partial = RawResponses.headOnly(100) + "part";
        try (RawServer server = RawServer.start(c -> c.readRequest().write(partial).reset());
             RawClient client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(client.readHead().contains("Content-Length: 100"));
            server.awaitScripts(1, WAIT);
            SocketException e = assertThrows(SocketException.class, client::readToEof);
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void decodesAChunkedRequestBody() throws Exception {
        try (RawServer server = RawServer.start(c -> c.readRequest().write(RawResponses.ok("")).close());
             RawClient client = RawClient.connect(server.port())) {
            client.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: t\r\n\r\n");
            assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK"));
            server.awaitScripts(1, WAIT);
            assertEquals("abcde", server.requests().getFirst().bodyText());
            assertEquals(List.of(), server.scriptErrors());
        }
    }

    @Test
    void answersExpectContinueInTwoSteps() throws Exception {
        try (RawServer server = RawServer.start(c -> c.readHead().write("HTTP/1.1 100 Continue\r\n\r\n")
                .readBody().write(RawResponses.ok("done")).close());
             RawClient client = RawClient.connect(server.port())) {
            client.send("PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue\r\n\r\n", client.readHead());
            client.send("data");
            assertTrue(client.readHead().startsWith("HTTP/1.1 200 OK"));
            server.awaitScripts(1, WAIT);
            List<RecordedRequest> requests = server.requests();
            assertEquals(1, requests.size(), "one request, its head and body together: " + requests);
            assertArrayEquals("data".getBytes(StandardCharsets.US_ASCII), requests.getFirst().body());
        }
    }

    @Test
    void dripsByteByByte() throws Exception {
        String response = RawResponses.ok("slow");
        try (RawServer server = RawServer.start(c -> c.readRequest().drip(response, Duration.ofMillis(1)).close());
             RawClient client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(response, new String(client.readToEof(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void recordsAClientThatClosedFirstAsAScriptError() throws Exception {
        try (RawServer server = RawServer.start(c -> c.readRequest().write(RawResponses.ok("")))) {
            RawClient.connect(server.port()).close();
            server.awaitScripts(1, WAIT);
            assertEquals(1, server.scriptErrors().size());
            assertInstanceOf(EOFException.class, server.scriptErrors().getFirst());
            assertEquals(List.of(), server.requests());
        }
    }

    @Test
    void aServerThatNeverAnswersIsEndedByClose() throws Exception {
        RawServer server = RawServer.start(c -> c.readRequest().hang());
        try (RawClient client = RawClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertFalse(client.awaitEof(Duration.ofMillis(200)), "no answer, no close");
            server.close();
            assertTrue(client.awaitEof(WAIT), "close() closed the connection");
        }
        assertEquals(List.of(), server.scriptErrors());
        assertEquals(1, server.requests().size());
        assertFalse(PeerProcess.accepts(server.port()), "nothing listens on its port");
    }

    @Test
    void readyMadeResponsesSayWhatTheirNamesSay() {
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n",
                RawResponses.chunked("ab", "c"));
        assertEquals(100, RawResponses.longStatusLine(100).indexOf("\r\n"));
        assertEquals(3, RawResponses.manyHeaders(3).lines().filter(l -> l.startsWith("X-Header-")).count());
        assertTrue(RawResponses.wrongContentLength(10, "abc").endsWith("Content-Length: 10\r\n\r\nabc"));
    }
}
