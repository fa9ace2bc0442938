package dev.weft.http;

import dev.weft.loop.Async;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expect: 100-continue and bodies that cannot be sent as announced, against servers on the test's loop that play HTTP
 * by hand (Weft's own streams: the misbehaviour is in the script, the sockets are real), on every backend:
 * the answer or the error is the one that happened, and no connection is reused after a body that did not go whole.
 */
@Timeout(30)
class RequestBodyFailureTest {
    /** A test that goes wrong fails on a read timeout rather than hanging. */
    private static final HttpSessionBuilder BOUNDED = HttpSession.builder()
            .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(5)));
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyWaitsForTheHundredContinueAndIsNotSentWhenAFinalStatusComesInstead(String backend) throws Exception {
        withSession(backend, BOUNDED, session -> {
            List<String> seen = new ArrayList<>();
            try (Served server = Served.start((reader, writer) -> {
                while (true) {
                    String head = new String(reader.readUntil(END_OF_HEAD), StandardCharsets.ISO_8859_1);
                    seen.add(head);
                    if (head.startsWith("PUT /accept ")) {
                        writer.write("HTTP/1.1 100 Continue\r\n\r\n");
                        seen.add(new String(reader.readExactly(8), StandardCharsets.UTF_8));
                        writer.write(TestServer.response(200, "taken"));
                    } else {
                        writer.write(TestServer.response(413, "too big"));
                        reader.readAll(); // whatever comes until the client closes: no body is expected
                        return;
                    }
                }
            })) {
                try (HttpResponse taken = session.put(server.url("/accept")).expectContinue()
                        .text("the body").send()) {
                    assertEquals("taken", taken.text());
                }
                AtomicBoolean produced = new AtomicBoolean();
                try (HttpResponse refused = session.put(server.url("/refuse")).expectContinue()
                        .body(RequestBody.producer("text/plain", 5, sink -> {
                            produced.set(true);
                            sink.write("never");
                        })).send()) {
                    assertEquals(413, refused.status());
                    assertEquals("too big", refused.text());
                }
                assertFalse(produced.get(), "the body was never asked for");
                assertEquals(0, session.poolStats().idle(), "the server may still wait for the body: not reused");
                assertTrue(seen.get(0).contains("\r\nExpect: 100-continue\r\n"), seen.get(0));
                assertEquals("the body", seen.get(1));
                assertTrue(seen.get(2).startsWith("PUT /refuse "), seen.get(2));
            }
            return null;
        });
    }

    /** A server that ignores the expectation (most do) gets the body after the wait, bounded by the read timeout. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aServerThatNeverSendsAHundredGetsTheBodyAfterTheWait(String backend) throws Exception {
        HttpSessionBuilder settings = HttpSession.builder()
                .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(300)));
        withSession(backend, settings, session -> {
            try (TestServer server = TestServer.start((request, out) -> out.write(TestServer.response(200,
                    new String(request.body(), StandardCharsets.UTF_8))))) {
                try (HttpResponse response = session.post(server.url("/")).expectContinue()
                        .text("sent anyway").send()) {
                    assertEquals("sent anyway", response.text());
                }
                assertEquals(1, session.poolStats().idle(), "a whole exchange: kept");
            }
            return null;
        });
    }

    /**
     * A pooled connection the server closes on the next request without a word: bytes are sent again on a fresh one,
     * a producer's body, gone once written, is not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aStaleConnectionRetriesBytesButNotAProducersBody(String backend) throws Exception {
        withSession(backend, BOUNDED, session -> {
            Map<Integer, Integer> perConnection = new HashMap<>();
            try (TestServer server = TestServer.start((request, out) -> {
                if (perConnection.merge(request.connection(), 1, Integer::sum) == 1) {
                    out.write(TestServer.response(200, "first"));
                } else {
                    out.close(); // the idle timeout a server sets, met just as the request came
                }
            })) {
                session.get(server.url("/")).close();
                try (HttpResponse again = session.put(server.url("/")).text("bytes").send()) {
                    assertEquals("first", again.text());
                }
                assertEquals(2, server.connections());
                IOException failed = assertThrows(IOException.class, () -> session.put(server.url("/"))
                        .body(RequestBody.producer("text/plain", 9, sink -> sink.write("once only"))).send());
                assertFalse(failed instanceof RequestBodyException, failed.toString());
                assertEquals(2, server.connections(), "no third connection for the producer: " + failed);
                assertEquals(List.of("bytes", "bytes", "once only"), server.requests().stream()
                        .filter(r -> r.requestLine().startsWith("PUT"))
                        .map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList());
            }
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyThatFailsOrMisstatesItsLengthAbortsTheExchangeAndClosesItsConnection(String backend)
            throws Exception {
        Path file = Files.writeString(dir.resolve("gone.txt"), "soon gone");
        withSession(backend, BOUNDED, session -> {
            try (TestServer server = TestServer.start(TestServer.answering(200, "ok"))) {
                IOException own = new IOException("the source broke");
                assertSame(own, assertThrows(IOException.class, () -> session.post(server.url("/"))
                        .body(RequestBody.producer("text/plain", sink -> {
                            sink.write("half");
                            throw own;
                        })).send()));
                RequestBodyException longer = assertThrows(RequestBodyException.class, () -> session
                        .post(server.url("/")).body(RequestBody.producer(null, 3, sink -> sink.write("four")))
                        .send());
                assertTrue(longer.getMessage().contains("more than the 3 bytes"), longer.getMessage());
                RequestBodyException shorter = assertThrows(RequestBodyException.class, () -> session
                        .post(server.url("/")).body(RequestBody.producer(null, 10, sink -> sink.write("six")))
                        .send());
                assertTrue(shorter.getMessage().contains("wrote 3 of the 10 bytes"), shorter.getMessage());
                RequestBody vanishing = RequestBody.file(file);
                Files.delete(file);
                assertThrows(NoSuchFileException.class, () -> session.post(server.url("/")).body(vanishing)
                        .send());
                RequestBody growing = RequestBody.file(Files.writeString(dir.resolve("grows.txt"), "small"));
                Files.writeString(dir.resolve("grows.txt"), "larger now");
                assertTrue(assertThrows(RequestBodyException.class, () -> session.post(server.url("/"))
                        .body(growing).send()).getMessage().contains("changed size from 5 to 10"));
                assertEquals(0, session.poolStats().idle(), "every connection that carried a part body is closed");
                try (HttpResponse fine = session.post(server.url("/")).text("whole").send()) {
                    assertEquals("ok", fine.text());
                }
                assertEquals(List.of("whole"), server.requests().stream()
                        .map(r -> new String(r.body(), StandardCharsets.UTF_8))
                        .filter(body -> !body.isEmpty()).toList(), "no part body was taken for a whole one");
            }
            return null;
        });
    }

    /** A server that takes no body: the write timeout names itself; one that says why first is heard. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aBodyTheServerDoesNotTakeIsAWriteTimeoutUnlessTheServerAnswered(String backend) throws Exception {
        HttpSessionBuilder settings = HttpSession.builder()
                .timeouts(HttpTimeouts.DEFAULTS.withWrite(Duration.ofMillis(300)));
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        BodyProducer endless = sink -> {
            while (true) {
                sink.write(chunk.duplicate());
            }
        };
        withSession(backend, settings, session -> {
            try (Served server = Served.start((reader, writer) -> {
                String head = new String(reader.readUntil(END_OF_HEAD), StandardCharsets.ISO_8859_1);
                if (head.startsWith("POST /answers ")) {
                    writer.write(TestServer.response(413, "no"));
                }
                Async.sleep(Duration.ofHours(1)); // reads no more: the client's writes fill the socket
            })) {
                HttpTimeoutException timeout = assertThrows(HttpTimeoutException.class, () -> session
                        .post(server.url("/silent")).body(RequestBody.producer(null, endless)).send());
                assertEquals(HttpTimeoutException.Kind.WRITE, timeout.kind());
                try (HttpResponse refused = session.post(server.url("/answers"))
                        .body(RequestBody.producer(null, endless)).send()) {
                    assertEquals(413, refused.status());
                }
                assertEquals(0, session.poolStats().idle());
            }
            return null;
        });
    }

    /** A server on the test's loop whose handler plays any part of HTTP by hand; closing it ends the handlers. */
    private record Served(StreamServer server) implements AutoCloseable {
        static Served start(ConnectionHandler handler) throws IOException {
            return new Served(Streams.startServer(handler, "127.0.0.1", 0));
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.port() + path;
        }

        @Override
        public void close() {
            server.closeGracefully(Duration.ZERO);
        }
    }
}
