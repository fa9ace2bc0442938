package dev.weft.http.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real WebSocket server for the tests: Debian's python3-websockets (10.4, installed by
 * {@code .ci/install-http-peers}) running {@code peers/websocket_peer.py} from the test resources as a child process
 * on 127.0.0.1, plain or with TLS from {@link TestCertificates}, stopped by its PID (SIGTERM, then SIGKILL). The
 * script's docstring lists its paths: {@code /echo}, {@code /close/<code>}, {@code /big/<n>}, {@code /zeros/<n>},
 * {@code /fragments}, {@code /ping}, {@code /header/<name>}, {@code /info}, {@code /reject}.
 *
 * <p>It runs two servers: {@link #url(String)} has websockets' default permessage-deflate (context takeover,
 * server_max_window_bits=12); {@link #freshContextUrl(String)} has no context takeover either way and
 * server_max_window_bits=10. The script binds port 0 and prints the ports it got, so no other process can take them.
 */
public final class WebSocketPeer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final PeerProcess process;
    private final String scheme;
    private final int port;
    private final int freshPort;
    private final TestCertificates certificates;

    private WebSocketPeer(PeerProcess process, String scheme, int port, int freshPort,
                          TestCertificates certificates) {
        this.process = process;
        this.scheme = scheme;
        this.port = port;
        this.freshPort = freshPort;
        this.certificates = certificates;
    }

    /** Starts the plain (ws://) server; returns once both ports accept. */
    public static WebSocketPeer start() throws IOException, InterruptedException {
        return start(false);
    }

    /** Starts it with TLS (wss://), with a certificate for localhost and 127.0.0.1 from a CA made for it. */
    public static WebSocketPeer startTls() throws IOException, InterruptedException {
        return start(true);
    }

    private static WebSocketPeer start(boolean tls) throws IOException, InterruptedException {
        Path dir = PeerProcess.newDirectory("websocket-peer");
        PeerProcess process;
        TestCertificates certificates = null;
        try {
            Path script = dir.resolve("websocket_peer.py");
            try (InputStream in = WebSocketPeer.class.getResourceAsStream("/peers/websocket_peer.py")) {
                if (in == null) {
                    throw new IOException("peers/websocket_peer.py is missing from the test resources");
                }
                Files.copy(in, script);
            }
            List<String> command = new ArrayList<>(List.of(Httpbin.PYTHON.toString(), script.toString()));
            if (tls) {
                certificates = TestCertificates.create(dir);
                command.addAll(List.of("--tls", certificates.serverCertificate().toString(),
                        certificates.serverKey().toString()));
            }
            process = PeerProcess.start("websocket-peer", command, dir, "TERM");
        } catch (IOException | InterruptedException e) {
            PeerProcess.deleteTree(dir);
            throw new IOException("cannot run the WebSocket peer with " + Httpbin.PYTHON + " (" + e.getMessage()
                    + "); install python3-websockets with .ci/install-http-peers (as root), which ./weft test runs", e);
        }
        try {
            int[] ports = {0, 0};
            process.awaitReady("print its ports and accept connections on them", STARTUP, () -> {
                String first = process.log().lines().findFirst().orElse("");
                if (first.matches("\\d+ \\d+")) {
                    ports[0] = Integer.parseInt(first.split(" ")[0]);
                    ports[1] = Integer.parseInt(first.split(" ")[1]);
                }
                return ports[0] != 0 && PeerProcess.accepts(ports[0]) && PeerProcess.accepts(ports[1]);
            });
            return new WebSocketPeer(process, tls ? "wss" : "ws", ports[0], ports[1], certificates);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** {@code ws://127.0.0.1:<port><path>} (wss:// with TLS) on the server with context takeover. */
    public String url(String path) {
        return scheme + "://127.0.0.1:" + port + path;
    }

    /** The same path on the server without context takeover and with server_max_window_bits=10. */
    public String freshContextUrl(String path) {
        return scheme + "://127.0.0.1:" + freshPort + path;
    }

    /** The certificates of a TLS peer (null for a plain one). */
    public TestCertificates certificates() {
        return certificates;
    }

    /** Its output so far: the ports, then what websockets logs. */
    public String log() {
        return process.log();
    }

    /** Stops it by its PID (SIGTERM, then SIGKILL) and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }
}
