package dev.weft.http;

import dev.weft.http.peers.Httpbin;
import dev.weft.http.peers.Nginx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Request bodies as a real server reads them, on every backend: httpbin's {@code /anything} echoes the body, the form
 * and the files it parsed, and the headers it got. Files are streamed from disk, producers sent chunked.
 */
@Timeout(60)
class RequestBodyTest {
    private static Httpbin httpbin;
    /** In front of httpbin, which refuses chunked requests (Werkzeug's own server cannot read them): nginx reads a
     * chunked body and passes it on whole, and tells httpbin how it came in a header httpbin echoes. */
    private static Nginx nginx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        httpbin = Httpbin.start();
        nginx = Nginx.builder().serverConfig("""
                location ~ ^/(anything|redirect-to) {
                    client_max_body_size 0;
                    proxy_pass http://127.0.0.1:%d;
                    proxy_set_header X-Came-As $http_transfer_encoding;
                }
                """.formatted(httpbin.port())).start();
    }

    @AfterAll
    static void stopServer() {
        if (nginx != null) {
            nginx.close();
        }
        if (httpbin != null) {
            httpbin.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aMultipartFormCarriesFieldsAndFilesWithTheirNamesEscaped(String backend) throws Exception {
        Path report = Files.writeString(dir.resolve("report.txt"), "line one\nline two\n".repeat(5000));
        Path notes = Files.writeString(dir.resolve("notes.csv"), "a,b\n1,2\n");
        MultipartBody form = MultipartBody.builder()
                .field("title", "Flags of the world")
                .field("city", "Zürich")
                .file("report", report)
                .file("notes", notes, "say \"hi\".csv", "text/csv")
                .build();
        withSession(backend, session -> {
            try (HttpResponse response = session.post(httpbin.baseUrl() + "/anything").body(form).send()) {
                Map<?, ?> echo = response.raiseForStatus().json(Map.class);
                assertEquals(Map.of("title", "Flags of the world", "city", "Zürich"), echo.get("form"));
                Map<?, ?> files = (Map<?, ?>) echo.get("files");
                assertEquals(Files.readString(report), files.get("report"));
                assertEquals("a,b\n1,2\n", files.get("notes"));
                Map<?, ?> headers = (Map<?, ?>) echo.get("headers");
                assertEquals("multipart/form-data; boundary=" + form.boundary(), headers.get("Content-Type"));
                assertEquals(Long.toString(form.length()), headers.get("Content-Length"));
            }
            return null;
        });
        String head = new String(readAll(form), StandardCharsets.UTF_8);
        assertEquals(true, head.contains("Content-Disposition: form-data; name=\"notes\"; filename=\"say %22hi%22.csv\""
                + "\r\nContent-Type: text/csv\r\n"), head.substring(0, 400));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aFileIsStreamedWithItsLengthAndAProducerIsSentChunked(String backend) throws Exception {
        String text = "0123456789abcdef".repeat(200_000); // 3.2 MB: many writes and drains
        Path file = Files.writeString(dir.resolve("big.txt"), text);
        withSession(backend, session -> {
            try (HttpResponse response = session.put(httpbin.baseUrl() + "/anything")
                    .body(RequestBody.file(file)).send()) {
                Map<?, ?> echo = response.raiseForStatus().json(Map.class);
                assertEquals(text, echo.get("data"));
                Map<?, ?> headers = (Map<?, ?>) echo.get("headers");
                assertEquals(Integer.toString(text.length()), headers.get("Content-Length"));
                assertEquals("text/plain", headers.get("Content-Type"), "guessed from the file's name");
            }
            RequestBody produced = RequestBody.producer("text/plain; charset=utf-8", sink -> {
                for (int i = 0; i < 1000; i++) {
                    sink.write("line " + i + "\n");
                }
            });
            try (HttpResponse response = session.post(nginx.baseUrl() + "/anything").body(produced).send()) {
                Map<?, ?> echo = response.raiseForStatus().json(Map.class);
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    expected.append("line ").append(i).append('\n');
                }
                assertEquals(expected.toString(), echo.get("data"));
                assertEquals("chunked", ((Map<?, ?>) echo.get("headers")).get("X-Came-As"));
            }
            return null;
        });
    }

    /** A part of unknown length makes the whole form chunked; the server still parses every part. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aMultipartFormWithAProducedPartIsSentChunked(String backend) throws Exception {
        withSession(backend, session -> {
            MultipartBody form = MultipartBody.builder()
                    .field("kind", "log")
                    .part("log", "run.log", RequestBody.producer("text/plain", sink -> {
                        sink.write("started\n");
                        sink.write("finished\n");
                    }))
                    .build();
            assertEquals(-1, form.length());
            try (HttpResponse response = session.post(nginx.baseUrl() + "/anything").body(form).send()) {
                Map<?, ?> echo = response.raiseForStatus().json(Map.class);
                assertEquals(Map.of("kind", "log"), echo.get("form"));
                assertEquals(Map.of("log", "started\nfinished\n"), echo.get("files"));
                assertEquals("chunked", ((Map<?, ?>) echo.get("headers")).get("X-Came-As"));
            }
            return null;
        });
    }

    /** 307 keeps the body: a file is sent again to the new place; a producer's, gone, returns the 307 itself. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void a307SendsAFileAgainButReturnsItselfForAOneShotBody(String backend) throws Exception {
        Path file = Files.writeString(dir.resolve("again.txt"), "sent twice");
        String redirect = nginx.baseUrl() + "/redirect-to?status_code=307&url=%2Fanything%2Fthere";
        withSession(backend, session -> {
            try (HttpResponse response = session.post(redirect).body(RequestBody.file(file)).send()) {
                Map<?, ?> echo = response.raiseForStatus().json(Map.class);
                assertEquals("sent twice", echo.get("data"));
                assertEquals(true, ((String) echo.get("url")).endsWith("/anything/there"), echo.get("url").toString());
                assertEquals(List.of(307), response.history().stream().map(HttpResponse::status).toList());
            }
            RequestBody once = RequestBody.producer("text/plain", sink -> sink.write("once"));
            try (HttpResponse response = session.post(redirect).body(once).send()) {
                assertEquals(307, response.status());
                assertEquals("/anything/there", response.headers().first("Location"));
            }
            return null;
        });
    }

    /** The bytes a body writes, through a sink that keeps them. */
    private static byte[] readAll(RequestBody body) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.weft.loop.Loops.run(TestLoops.named("nio"), () -> {
            body.writeTo(new BodySink() {
                @Override
                public void write(java.nio.ByteBuffer data) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    out.writeBytes(bytes);
                }

                @Override
                public void writeFile(java.nio.channels.FileChannel file, long position, long count)
                        throws java.io.IOException {
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(Math.toIntExact(count));
                    file.read(bytes, position);
                    out.writeBytes(bytes.array());
                }
            });
            return null;
        });
        return out.toByteArray();
    }
}
