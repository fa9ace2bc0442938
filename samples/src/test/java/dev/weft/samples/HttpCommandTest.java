package dev.weft.samples;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.weft.samples.CommandLine.weft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft http} end to end against the JDK's own HTTP server on 127.0.0.1: what curl users expect of it. */
@Timeout(30)
class HttpCommandTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = ("hello, " + exchange.getRequestMethod() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type")).strip().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Greeting", "yes");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/missing", exchange -> {
            byte[] body = "no such page".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/target", exchange -> { // what a proxy would see: the target and its credentials
            String credentials = exchange.getRequestHeaders().getFirst("Proxy-Authorization");
            byte[] body = (exchange.getRequestURI() + " " + credentials).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void theBodyGoesToStdoutAndTheHeadWithDashI() {
        CommandLine plain = weft("http", base + "/hello");
        assertEquals(0, plain.status, plain.err);
        assertEquals("hello, GET  null", plain.out);
        CommandLine included = weft("http", "-i", base + "/hello");
        assertTrue(included.out.startsWith("HTTP/1.1 200 "), included.out);
        assertTrue(included.out.contains("\r\nX-greeting: yes\r\n") || included.out.contains("\r\nX-Greeting: yes\r\n"),
                included.out);
        assertTrue(included.out.endsWith("\r\n\r\nhello, GET  null"), included.out);
    }

    @Test
    void aJsonBodyIsAPostWithItsContentType() {
        CommandLine posted = weft("--loop", "epoll", "http", "--json", "{\"cc\":\"br\"}", base + "/hello");
        assertEquals(0, posted.status, posted.err);
        assertEquals("hello, POST {\"cc\":\"br\"} application/json", posted.out);
        CommandLine put = weft("http", "-X", "PUT", "-d", "a=1", "-H", "X-Trace: 7", base + "/hello");
        assertEquals("hello, PUT a=1 application/x-www-form-urlencoded", put.out);
    }

    @Test
    void aFileIsStreamedWithDashDAtAndAFormWithDashF(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("body.txt"), "line 1\nline 2\n");
        CommandLine streamed = weft("http", "-d", "@" + file, base + "/hello");
        assertEquals(0, streamed.status, streamed.err);
        assertEquals("hello, POST line 1\nline 2\n application/x-www-form-urlencoded", streamed.out);
        CommandLine form = weft("http", "-F", "title=Flags", "-F", "upload=@" + file + ";type=text/csv",
                base + "/hello");
        assertEquals(0, form.status, form.err);
        assertTrue(form.out.contains("Content-Disposition: form-data; name=\"title\"\r\n\r\nFlags\r\n"), form.out);
        assertTrue(form.out.contains("Content-Disposition: form-data; name=\"upload\"; filename=\"body.txt\"\r\n"
                + "Content-Type: text/csv\r\n\r\nline 1\nline 2\n\r\n"), form.out);
        assertTrue(form.out.endsWith(" multipart/form-data; boundary=" + form.out.substring(
                form.out.indexOf("--") + 2, form.out.indexOf("\r\n"))), form.out);
        CommandLine missing = weft("http", "-F", "upload=@" + dir.resolve("nothing.txt"), base + "/hello");
        assertEquals("weft http: -F @" + dir.resolve("nothing.txt") + ": no such readable file", missing.err.strip());
    }

    @Test
    void aStatusOf400OrMoreExits22WithTheBodyStillShown() {
        CommandLine missing = weft("http", base + "/missing");
        assertEquals(22, missing.status);
        assertEquals("no such page", missing.out);
    }

    @Test
    void outputGoesToAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("hello.txt");
        CommandLine saved = weft("http", "-o", file.toString(), base + "/hello");
        assertEquals(0, saved.status, saved.err);
        assertEquals("hello, GET  null", Files.readString(file));
        assertTrue(saved.err.contains("saved 16 bytes to " + file), saved.err);
    }

    @Test
    void dashXSendsTheRequestToTheProxyWithItsCredentials() {
        String proxy = "http://alice:s3cret@" + base.substring("http://".length());
        CommandLine proxied = weft("http", "-x", proxy, "http://origin.test/target?q=1");
        assertEquals(0, proxied.status, proxied.err);
        assertEquals("http://origin.test/target?q=1 Basic YWxpY2U6czNjcmV0", proxied.out); // base64("alice:s3cret")
        CommandLine socks = weft("http", "-x", "socks5://127.0.0.1:1080", base + "/hello");
        assertEquals(2, socks.status, socks.err);
        assertTrue(socks.err.startsWith("weft http: ") && socks.err.contains("not socks5"), socks.err);
    }

    @Test
    void failuresAreOneLineAndCurlsExitStatus() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        CommandLine refused = weft("http", "http://127.0.0.1:" + closedPort + "/");
        assertEquals(7, refused.status);
        assertEquals("weft http: connection refused by 127.0.0.1:" + closedPort + "\n", refused.err);
        CommandLine unknown = weft("http", "http://no-such-host.invalid/");
        assertEquals(6, unknown.status, unknown.err);
        assertEquals(1, unknown.err.lines().count(), unknown.err);
        CommandLine badJson = weft("http", "--json", "{nope", base + "/hello");
        assertEquals(2, badJson.status);
        assertTrue(badJson.err.startsWith("weft http: --json is not JSON: "), badJson.err);
        CommandLine injected = weft("http", "-H", "X-A: b\r\nHost: evil", base + "/hello");
        assertEquals(2, injected.status, injected.err);
        CommandLine noUrl = weft("http", "-i");
        assertEquals(2, noUrl.status);
        assertTrue(noUrl.err.contains("URL"), noUrl.err);
    }
}
