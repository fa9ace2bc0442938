package dev.weft.http.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real httpbin (Debian's python3-httpbin 0.7.0, installed by {@code .ci/install-http-peers}) run by a test as its
 * child process on 127.0.0.1, on Werkzeug's threaded server (Flask's own; httpbin's recommended gunicorn is not
 * needed). {@link #close()} stops it by its PID (SIGTERM, then SIGKILL after five seconds).
 *
 * <p>What works offline here (checked with curl): {@code /get}, {@code /anything}, {@code /post} and the other
 * methods' echoes; {@code /status/<code>}; {@code /redirect/<n>}, {@code /relative-redirect/<n>},
 * {@code /absolute-redirect/<n>}, {@code /redirect-to?url=..&status_code=..}; {@code /cookies},
 * {@code /cookies/set?k=v}, {@code /cookies/delete?k}; {@code /basic-auth/<user>/<pass>},
 * {@code /hidden-basic-auth/..}; {@code /delay/<s>} (at most 10); {@code /stream/<n>} (n JSON lines, chunked);
 * {@code /stream-bytes/<n>}, {@code /bytes/<n>}, {@code /range/<n>}; {@code /drip?numbytes=&duration=&delay=};
 * {@code /gzip}, {@code /deflate}, {@code /brotli}; {@code /response-headers?K=V}; {@code /headers}, {@code /ip},
 * {@code /user-agent}; {@code /image/png}; {@code /html}, {@code /xml}, {@code /json}, {@code /encoding/utf8}.
 *
 * <p>Werkzeug's server answers every request with {@code Connection: close}: keep-alive and pooling are tested
 * against {@link Nginx} or a {@link RawServer}, not here.
 */
public final class Httpbin implements AutoCloseable {
    /** Debian's interpreter, where python3-httpbin lives — not whatever {@code python3} is first on the PATH. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final Duration STARTUP = Duration.ofSeconds(30);

    // Binds port 0 itself and prints the port it got: no window in which another process can take it.
    private static final String SERVE = """
            import sys
            from werkzeug.serving import make_server
            from httpbin import app
            server = make_server("127.0.0.1", 0, app, threaded=True)
            print(server.server_port, flush=True)
            server.serve_forever()
            """;

    private final PeerProcess process;
    private final int port;

    private Httpbin(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts httpbin; returns once it answers {@code GET /get} with 200.
     *
     * @throws IOException if python3-httpbin is not installed or httpbin does not start (its log in the message)
     */
    public static Httpbin start() throws IOException, InterruptedException {
        Path dir = PeerProcess.newDirectory("httpbin");
        PeerProcess process;
        try {
            process = PeerProcess.start("httpbin", List.of(PYTHON.toString(), "-c", SERVE), dir, "TERM");
        } catch (IOException e) {
            PeerProcess.deleteTree(dir);
            throw new IOException("cannot run " + PYTHON + " (" + e.getMessage()
                    + "); install python3-httpbin with .ci/install-http-peers (as root), which ./weft test runs", e);
        }
        try {
            int[] port = {0};
            process.awaitReady("print its port and answer GET /get with 200", STARTUP, () -> {
                if (port[0] == 0) {
                    port[0] = portFrom(process.log());
                }
                return port[0] != 0 && answersGet(port[0]);
            });
            return new Httpbin(process, port[0]);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** The port on the log's first line, once the server printed it; 0 before. */
    private static int portFrom(String log) {
        String first = log.lines().findFirst().orElse("");
        return first.matches("\\d+") ? Integer.parseInt(first) : 0;
    }

    /** One GET /get on a raw socket: whether the answer's status line says 200. */
    private static boolean answersGet(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET /get HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String statusLine = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))
                    .readLine();
            return statusLine != null && statusLine.startsWith("HTTP/1.1 200 ");
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The PID of the Python process. */
    public long pid() {
        return process.pid();
    }

    /** Its output so far: the port, then Werkzeug's log of each request. */
    public String log() {
        return process.log();
    }

    /** Its private temp directory (its log), deleted by {@link #close()}. */
    Path directory() {
        return process.directory();
    }

    /** Stops httpbin by its PID (SIGTERM, then SIGKILL) and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }
}
