package dev.weft.http.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A real HTTP proxy, Debian's tinyproxy ({@code tinyproxy-bin}, installed by {@code .ci/install-http-peers}), run by a
 * test as its child process on a free port of 127.0.0.1, from a config in a private temp directory. It forwards plain
 * http requests sent in absolute form and opens {@code CONNECT} tunnels to any port; with {@link Builder#basicAuth} it
 * answers 407 to a request without those credentials. Its log ({@link #log()}) has a line per request it took
 * ({@code Request (file descriptor 5): GET http://127.0.0.1:8080/1k.txt HTTP/1.1}, {@code CONNECT localhost:8443}),
 * which is how a test proves a request went through it. {@link #close()} stops it by its PID (SIGTERM, then SIGKILL
 * after five seconds) and deletes its directory.
 */
public final class Tinyproxy implements AutoCloseable {
    /** The binary Debian's tinyproxy-bin installs (the tinyproxy package adds only a system service, not wanted). */
    public static final Path BINARY = Path.of("/usr/bin/tinyproxy");

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int PORT_ATTEMPTS = 3;

    private final PeerProcess process;
    private final int port;

    private Tinyproxy(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a proxy that wants no credentials. */
    public static Tinyproxy start() throws IOException, InterruptedException {
        return builder().start();
    }

    /** A builder, to ask for credentials. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: the proxy's URL, without credentials. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Its process's PID. */
    public long pid() {
        return process.pid();
    }

    /** Its log so far: a {@code Request} line for each request it took, in order. */
    public String log() {
        return process.log();
    }

    /** The request lines it took so far ({@code GET http://host/path HTTP/1.1}, {@code CONNECT host:443 HTTP/1.1}). */
    public List<String> requests() {
        return log().lines()
                .filter(line -> line.contains("]: Request (file descriptor"))
                .map(line -> line.substring(line.indexOf("): ") + 3))
                .toList();
    }

    /** Stops it by its PID (SIGTERM, then SIGKILL) and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }

    /** The options of a test's tinyproxy. */
    public static final class Builder {
        private String user;
        private String password;

        private Builder() {
        }

        /** Ask every request for these Basic credentials (407 without them). */
        public Builder basicAuth(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Writes the config and starts tinyproxy in the foreground; returns once it accepts connections.
         *
         * @throws IOException if tinyproxy is not installed or does not start (its log in the message)
         */
        public Tinyproxy start() throws IOException, InterruptedException {
            if (!Files.isExecutable(BINARY)) {
                throw new IOException("tinyproxy is not installed (" + BINARY + "); install it with "
                        + ".ci/install-http-peers (as root), which ./weft test runs");
            }
            for (int attempt = 1; ; attempt++) {
                Path dir = PeerProcess.newDirectory("tinyproxy");
                try {
                    return startIn(dir);
                } catch (IOException e) {
                    PeerProcess.deleteTree(dir);
                    // A free port can be taken between our probe and tinyproxy's bind: try others, a few times.
                    // tinyproxy then says only "Could not create listening sockets" and exits.
                    if (attempt == PORT_ATTEMPTS || !e.getMessage().contains("Could not create listening sockets")) {
                        throw e;
                    }
                }
            }
        }

        private Tinyproxy startIn(Path dir) throws IOException, InterruptedException {
            int port = PeerProcess.freePort();
            // No LogFile: in the foreground (-d) it logs to stderr, which PeerProcess keeps as the log. No User: as
            // root it warns and stays root, which is fine for a private proxy on 127.0.0.1.
            String config = """
                    Port %d
                    Listen 127.0.0.1
                    Timeout 60
                    LogLevel Info
                    MaxClients 200
                    Allow 127.0.0.1
                    DisableViaHeader Yes
                    """.formatted(port)
                    + (user == null ? "" : "BasicAuth " + user + " " + password + "\n");
            Path conf = Files.writeString(dir.resolve("tinyproxy.conf"), config);
            PeerProcess process = PeerProcess.start("tinyproxy",
                    List.of(BINARY.toString(), "-d", "-c", conf.toString()), dir, "TERM");
            try {
                // It logs "Accepting connections" after it bound its port (LogLevel Info): an earlier accept could be
                // another program's, which took the port after we probed it.
                process.awaitReady("listen on port " + port, STARTUP,
                        () -> process.log().contains("Accepting connections") && PeerProcess.accepts(port));
            } catch (IOException | InterruptedException | RuntimeException e) {
                process.close();
                throw e;
            }
            return new Tinyproxy(process, port);
        }
    }
}
