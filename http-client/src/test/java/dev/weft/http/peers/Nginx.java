package dev.weft.http.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A real nginx (Debian's package, installed by {@code .ci/install-http-peers}) run by a test as its child process on
 * 127.0.0.1, on free ports, from a config and docroot in a private temp directory. It serves:
 * <ul>
 *   <li>{@link #TEXT_1K}, {@link #TEXT_1M}: text ({@link KnownBytes#text}), gzip'd and chunked when the request
 *       says {@code Accept-Encoding: gzip}, plain with a Content-Length otherwise;</li>
 *   <li>{@link #BINARY_1K}, {@link #BINARY_1M}: random bytes ({@link KnownBytes#binary}), never compressed;</li>
 *   <li>{@code /flags/<cc>.png}: the 16×11 flag PNGs of Debian's famfamfam-flag-png ({@link #flagCodes()});</li>
 *   <li>any file a test writes under {@link #docroot()}, at once (nginx opens files per request).</li>
 * </ul>
 * Keep-alive follows {@link Builder#keepaliveTimeout} and {@link Builder#keepaliveRequests}; with
 * {@link Builder#https()} the same content is served over TLS on a second port with a certificate of a CA made for
 * this server ({@link #certificates()}). {@link #close()} stops it by its PID (SIGQUIT, nginx's graceful stop, then
 * SIGKILL after five seconds) and deletes its directory.
 *
 * <pre>{@code
 * try (Nginx nginx = Nginx.builder().keepaliveRequests(3).https().start()) {
 *     URI flag = URI.create(nginx.baseUrl() + "/flags/cn.png");
 * }
 * }</pre>
 */
public final class Nginx implements AutoCloseable {
    /** The nginx binary Debian installs. */
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    public static final String TEXT_1K = "/1k.txt";
    public static final String TEXT_1M = "/1m.txt";
    public static final String BINARY_1K = "/1k.bin";
    public static final String BINARY_1M = "/1m.bin";

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int PORT_ATTEMPTS = 3;

    private final PeerProcess process;
    private final Path dir;
    private final int port;
    private final int httpsPort;
    private final TestCertificates certificates;

    private Nginx(PeerProcess process, Path dir, int port, int httpsPort, TestCertificates certificates) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.httpsPort = httpsPort;
        this.certificates = certificates;
    }

    /** Starts nginx with the defaults: HTTP only, keep-alive 75 s and 1000 requests, one worker. */
    public static Nginx start() throws IOException, InterruptedException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The body {@code path} (one of the constants above) has, byte for byte. */
    public static byte[] expectedBody(String path) {
        return switch (path) {
            case TEXT_1K -> KnownBytes.text(1024);
            case TEXT_1M -> KnownBytes.text(1024 * 1024);
            case BINARY_1K -> KnownBytes.binary(1024);
            case BINARY_1M -> KnownBytes.binary(1024 * 1024);
            default -> throw new IllegalArgumentException("no known body for " + path
                    + "; known: " + List.of(TEXT_1K, TEXT_1M, BINARY_1K, BINARY_1M));
        };
    }

    /** The lower-case two-letter country codes whose flags are served as {@code /flags/<cc>.png}, sorted. */
    public static List<String> flagCodes() throws IOException {
        try (Stream<Path> files = Files.list(NginxConfig.FLAGS)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("[a-z]{2}\\.png"))
                    .map(name -> name.substring(0, 2))
                    .sorted()
                    .toList();
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * {@code https://localhost:<httpsPort>}, no trailing slash; the certificate also names 127.0.0.1. nginx listens
     * on 127.0.0.1 only: where {@code localhost} resolves to ::1 first, a client's first attempt there is refused.
     *
     * @throws IllegalStateException if it was started without {@link Builder#https()}
     */
    public String httpsBaseUrl() {
        return "https://localhost:" + httpsPort();
    }

    public int port() {
        return port;
    }

    /** @throws IllegalStateException if it was started without {@link Builder#https()} */
    public int httpsPort() {
        requireHttps();
        return httpsPort;
    }

    /** The CA this server's certificate comes from, for a client to trust. */
    public TestCertificates certificates() {
        requireHttps();
        return certificates;
    }

    /** The directory nginx serves; files written here are served at once, at their relative path. */
    public Path docroot() {
        return dir.resolve("docroot");
    }

    /** The PID of nginx's master process. */
    public long pid() {
        return process.pid();
    }

    /** The PIDs of its worker processes now. */
    public List<Long> workerPids() {
        return process.process().children().map(ProcessHandle::pid).toList();
    }

    /** Its error log so far (nginx logs at "notice" and above). */
    public String log() {
        return process.log();
    }

    /** Its access log so far, empty when started with {@code accessLog(false)}. */
    public String accessLog() throws IOException {
        Path log = dir.resolve("access.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Stops nginx by its PID (SIGQUIT, then SIGKILL for it and its workers) and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }

    private void requireHttps() {
        if (httpsPort == 0) {
            throw new IllegalStateException("this nginx serves no HTTPS: start it with Nginx.builder().https()");
        }
    }

    /** The options of a test's nginx. */
    public static final class Builder {
        private Duration keepaliveTimeout = Duration.ofSeconds(75);
        private int keepaliveRequests = 1000;
        private int workerProcesses = 1;
        private boolean https;
        private boolean accessLog = true;
        private String serverConfig = "";

        private Builder() {
        }

        /** How long an idle keep-alive connection stays open; zero turns keep-alive off. Default 75 s. */
        public Builder keepaliveTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("keepaliveTimeout must be zero or more, not " + timeout);
            }
            this.keepaliveTimeout = timeout;
            return this;
        }

        /** How many requests one connection serves before nginx closes it. Default 1000. */
        public Builder keepaliveRequests(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("keepaliveRequests must be 1 or more, not " + requests);
            }
            this.keepaliveRequests = requests;
            return this;
        }

        /** How many worker processes; default 1 (a benchmark pins nginx to one core). */
        public Builder workerProcesses(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workerProcesses must be 1 or more, not " + workers);
            }
            this.workerProcesses = workers;
            return this;
        }

        /** Also serve HTTPS on a second port, with a certificate for localhost and 127.0.0.1 of a new CA. */
        public Builder https() {
            this.https = true;
            return this;
        }

        /** Whether nginx writes an access log (default true; a benchmark turns it off). */
        public Builder accessLog(boolean on) {
            this.accessLog = on;
            return this;
        }

        /**
         * Extra directives for the server block, e.g. {@code location = /empty { return 204; }}. A config nginx
         * rejects makes {@link #start()} fail with nginx's message.
         */
        public Builder serverConfig(String directives) {
            this.serverConfig = Objects.requireNonNull(directives, "directives");
            return this;
        }

        /**
         * Writes the docroot and config and starts nginx; returns once it accepts connections on every port.
         *
         * @throws IOException if nginx is not installed, rejects its config or does not start (its log in the
         *                     message)
         */
        public Nginx start() throws IOException, InterruptedException {
            if (!Files.isExecutable(BINARY) || !Files.isDirectory(NginxConfig.FLAGS)) {
                throw new IOException("nginx or the flag PNGs are not installed (" + BINARY + ", " + NginxConfig.FLAGS
                        + "); install them with .ci/install-http-peers (as root), which ./weft test runs");
            }
            for (int attempt = 1; ; attempt++) {
                Path dir = PeerProcess.newDirectory("nginx");
                try {
                    return startIn(dir);
                } catch (IOException e) {
                    PeerProcess.deleteTree(dir);
                    // A free port can be taken between our probe and nginx's bind: try others, a few times.
                    if (attempt == PORT_ATTEMPTS || !e.getMessage().contains("Address already in use")) {
                        throw e;
                    }
                }
            }
        }

        private Nginx startIn(Path dir) throws IOException, InterruptedException {
            Files.createDirectories(dir.resolve("temp"));
            Path docroot = Files.createDirectories(dir.resolve("docroot"));
            for (String path : List.of(TEXT_1K, TEXT_1M, BINARY_1K, BINARY_1M)) {
                Files.write(docroot.resolve(path.substring(1)), expectedBody(path));
            }
            TestCertificates certificates = null;
            if (https) {
                certificates = TestCertificates.create(Files.createDirectories(dir.resolve("tls")));
            }
            int port = PeerProcess.freePort();
            int httpsPort = https ? PeerProcess.freePort() : 0;
            NginxConfig config = new NginxConfig(dir, port, httpsPort, certificates, keepaliveTimeout,
                    keepaliveRequests, workerProcesses, accessLog, serverConfig);
            boolean root = ((Integer) Files.getAttribute(dir, "unix:uid")) == 0;
            Path conf = Files.writeString(dir.resolve("nginx.conf"), config.render(root));
            PeerProcess process = PeerProcess.start("nginx",
                    List.of(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString()), dir, "QUIT");
            try {
                // nginx writes its pid file after it bound its ports: a connection accepted before that could be
                // another program's, which took a port after we probed it and while nginx retries its bind.
                Path pidFile = dir.resolve("nginx.pid");
                String pid = Long.toString(process.pid());
                process.awaitReady("write its pid file and listen on port " + port
                                + (https ? " and " + httpsPort : ""), STARTUP,
                        () -> Files.exists(pidFile) && Files.readString(pidFile).strip().equals(pid)
                                && PeerProcess.accepts(port) && (!https || PeerProcess.accepts(httpsPort)));
            } catch (IOException | InterruptedException | RuntimeException e) {
                process.close();
                throw e;
            }
            return new Nginx(process, dir, port, httpsPort, certificates);
        }
    }
}
