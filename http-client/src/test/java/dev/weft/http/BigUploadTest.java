package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.testkit.LiveHeap;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 256 MiB file goes up without the heap holding it: halfway through, with the server holding the upload still, the
 * live heap (a class histogram, which runs a full GC first, as loop-testkit's StalledReaderSuite measures it) has grown
 * by a few MiB at most, on every backend; then every byte arrives.
 */
@Timeout(120)
class BigUploadTest {
    private static final long SIZE = 256L * 1024 * 1024;
    private static final long MOST_LIVE_GROWTH = 16L * 1024 * 1024;
    private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aFileOfAQuarterGibibyteIsUploadedInABoundedHeap(String backend) throws Exception {
        Path file = dir.resolve("big.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(SIZE); // zeros, sparse: no disk behind them, and the bytes still cross the socket
        }
        HttpSessionBuilder settings = HttpSession.builder()
                .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(30)));
        withSession(backend, settings, session -> {
            Future<Void> halfway = EventLoop.current().createFuture();
            Future<Void> resume = EventLoop.current().createFuture();
            StreamServer server = Streams.startServer((reader, writer) -> {
                reader.readUntil(END_OF_HEAD);
                long received = 0;
                while (received < SIZE) {
                    int n = reader.read(64 * 1024).length;
                    if (n == 0) {
                        break;
                    }
                    received += n;
                    if (received >= SIZE / 2 && !halfway.isDone()) {
                        halfway.setResult(null);
                        resume.await(); // hold the upload still while the heap is measured
                    }
                }
                writer.write("HTTP/1.1 200 OK\r\nContent-Length: " + Long.toString(received).length() + "\r\n\r\n"
                        + received);
                writer.drain();
            }, "127.0.0.1", 0);
            try {
                long before = LiveHeap.bytes();
                Task<String> upload = Tasks.spawn(() -> {
                    try (HttpResponse response = session.post("http://127.0.0.1:" + server.port() + "/upload")
                            .body(RequestBody.file(file)).send()) {
                        return response.raiseForStatus().text();
                    }
                });
                halfway.await();
                long during = LiveHeap.bytes();
                resume.setResult(null);
                assertEquals(Long.toString(SIZE), upload.await(), "every byte arrived");
                assertTrue(during - before < MOST_LIVE_GROWTH, "halfway through a " + SIZE + "-byte upload the"
                        + " live heap grew by " + (during - before) + " bytes (from " + before + ")");
            } finally {
                server.closeGracefully(Duration.ZERO);
            }
            return null;
        });
    }
}
