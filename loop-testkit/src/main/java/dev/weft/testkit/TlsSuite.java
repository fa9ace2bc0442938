package dev.weft.testkit;

import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.net.TlsHandshakeException;
import dev.weft.net.TlsOptions;
import dev.weft.net.TlsTransport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.randomBytes;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS over the streams of any backend: echo, the typed handshake errors (untrusted, hostname mismatch), ALPN and a
 * clean close_notify. The certificates are made here with the JDK's keytool: a CA, and a server certificate it signs
 * for localhost and 127.0.0.1.
 */
public abstract class TlsSuite extends LoopSuite {
    private static final String PASSWORD = "changeit";
    private static SSLContext serverContext;
    private static SSLContext clientContext; // trusts the test CA only

    @BeforeEach
    final void requireNetworkingAndCertificates() throws Exception {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
        makeCertificates();
    }

    static TlsOptions server() {
        return TlsOptions.server(serverContext);
    }

    static TlsOptions trustingClient() {
        return TlsOptions.client(clientContext);
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 1024 * 1024})
    void bytesEchoThroughTls(int size) {
        byte[] payload = randomBytes(size, size);
        byte[] echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0, SocketOptions.DEFAULTS, server());
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    trustingClient())) {
                // Write in a task of its own: the echo comes back while we write, and must be read meanwhile.
                Task<Void> writing = Tasks.spawn(() -> {
                    c.writer().write(payload);
                    c.writer().drain();
                    return null;
                });
                byte[] back = c.reader().readExactly(size);
                writing.await();
                return back;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertArrayEquals(payload, echoed);
    }

    /** TLS cannot hand a file to the kernel: StreamWriter.sendFile falls back to reading it in chunks. */
    @Test
    void aFileSentOverTlsArrivesWhole(@TempDir Path dir) throws Exception {
        byte[] content = randomBytes(300_000, 5);
        Path file = Files.write(dir.resolve("file.bin"), content);
        long[] sent = new long[1];
        byte[] echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0, SocketOptions.DEFAULTS, server());
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    trustingClient());
                 FileChannel channel = FileChannel.open(file)) {
                Task<Void> writing = Tasks.spawn(() -> {
                    sent[0] = c.writer().sendFile(channel, 0, content.length);
                    return null;
                });
                byte[] back = c.reader().readExactly(content.length);
                writing.await();
                return back;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(content.length, sent[0]);
        assertArrayEquals(content, echoed);
    }

    @Test
    void anUntrustedCertificateIsATypedErrorSayingSo() {
        TlsHandshakeException e = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0, SocketOptions.DEFAULTS, server());
            try {
                return assertThrows(TlsHandshakeException.class, () -> Streams.openConnection(LOCALHOST,
                        server.port(), SocketOptions.DEFAULTS, TlsOptions.client())); // the JDK's CAs: not ours
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(TlsHandshakeException.Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("untrusted certificate"), e.getMessage());
    }

    @Test
    void aHostnameMismatchIsATypedErrorNamingBothNames() {
        TlsHandshakeException e = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0, SocketOptions.DEFAULTS, server());
            try {
                return assertThrows(TlsHandshakeException.class, () -> Streams.openConnection(LOCALHOST,
                        server.port(), SocketOptions.DEFAULTS, trustingClient().withServerName("wrong.example")));
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(TlsHandshakeException.Reason.HOSTNAME_MISMATCH, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("hostname mismatch: certificate is") && e.getMessage().contains("wrong.example"),
                e.getMessage());
    }

    @Test
    void noCommonProtocolVersionIsATypedErrorSayingSo() {
        TlsHandshakeException e = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0, SocketOptions.DEFAULTS,
                    server().withProtocols("TLSv1.3"));
            try {
                return assertThrows(TlsHandshakeException.class, () -> Streams.openConnection(LOCALHOST,
                        server.port(), SocketOptions.DEFAULTS, trustingClient().withProtocols("TLSv1.2")));
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(TlsHandshakeException.Reason.PROTOCOL_VERSION, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("no common protocol version"), e.getMessage());
    }

    @Test
    void aPeerThatNeverAnswersTheHandshakeTimesOutByTheConnectTimeout() {
        java.net.SocketTimeoutException e = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> reader.readAll(), LOCALHOST, 0); // not TLS
            try {
                SocketOptions quick = new SocketOptions(true, false, true, false, 128, Duration.ofMillis(200));
                return assertThrows(java.net.SocketTimeoutException.class,
                        () -> Streams.openConnection(LOCALHOST, server.port(), quick, trustingClient()));
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertTrue(e.getMessage().startsWith("the TLS handshake with 127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains(" did not finish within 200 ms: "), e.getMessage());
    }

    @Test
    void skippingHostnameVerificationAcceptsATrustedCertificateForAnotherName() {
        String echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echoLines, LOCALHOST, 0, SocketOptions.DEFAULTS,
                    server());
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    trustingClient().withServerName("wrong.example").insecureSkipHostnameVerification())) {
                c.writer().write(ascii("hi\n"));
                return text(c.reader().readLineBytes());
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("hi\n", echoed);
    }

    @Test
    void theNegotiatedAlpnProtocolIsVisibleOnBothEnds() {
        List<String> seen = run(() -> {
            List<String> protocols = new ArrayList<>();
            StreamServer server = Streams.startServer((reader, writer) -> {
                protocols.add(((TlsTransport) writer.transport()).applicationProtocol());
                writer.write(ascii("ok\n"));
                writer.drain();
            }, LOCALHOST, 0, SocketOptions.DEFAULTS, server().withAlpn("h2", "http/1.1"));
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    trustingClient().withAlpn("http/1.1"))) {
                c.reader().readLineBytes();
                protocols.add(((TlsTransport) c.writer().transport()).applicationProtocol());
                return protocols;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(List.of("http/1.1", "http/1.1"), seen);
    }

    @Test
    void aServerCloseSendsCloseNotifyAndTheClientReadsEof() {
        String received = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> {
                writer.write(ascii("bye"));
                writer.drain();
                writer.close(); // close_notify
            }, LOCALHOST, 0, SocketOptions.DEFAULTS, server());
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS,
                    trustingClient())) {
                String all = text(c.reader().readAll()); // EOF, not a broken connection
                assertTrue(c.reader().atEof());
                return all;
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("bye", received);
    }

    @Test
    void startTlsUpgradesALivePlainConnectionOnBothEnds() {
        String echoed = run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> {
                if (text(reader.readLineBytes()).equals("STARTTLS\n")) {
                    writer.write(ascii("GO\n"));
                    writer.drain();
                    Streams.startTls(new StreamConnection(reader, writer), server(), true);
                    StreamTests.echoLines(reader, writer);
                }
            }, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                c.writer().write(ascii("STARTTLS\n"));
                assertEquals("GO\n", text(c.reader().readLineBytes()));
                Streams.startTls(c, trustingClient().withServerName("localhost"), false);
                assertTrue(c.writer().transport() instanceof TlsTransport, "writes go through TLS now");
                c.writer().write(ascii("secret\n"));
                return text(c.reader().readLineBytes());
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("secret\n", echoed);
    }

    // ---- certificates

    /** Once per JVM: keytool takes about a second a call. Kept in memory; the files are deleted at once. */
    static synchronized void makeCertificates() throws Exception {
        if (serverContext != null) {
            return;
        }
        Path dir = Files.createTempDirectory("weft-tls");
        try {
            Path ca = dir.resolve("ca.p12");
            Path srv = dir.resolve("server.p12");
            Path trust = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=Weft Test CA", "-ext", "bc:c",
                    "-validity", "2", "-keystore", ca.toString());
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                    "-file", dir.resolve("ca.crt").toString());
            keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                    "-validity", "2", "-keystore", srv.toString());
            keytool("-certreq", "-alias", "server", "-keystore", srv.toString(),
                    "-file", dir.resolve("server.csr").toString());
            keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                    "-infile", dir.resolve("server.csr").toString(), "-outfile", dir.resolve("server.crt").toString(),
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", srv.toString(),
                    "-file", dir.resolve("ca.crt").toString());
            keytool("-importcert", "-noprompt", "-alias", "server", "-keystore", srv.toString(),
                    "-file", dir.resolve("server.crt").toString());
            keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", trust.toString(),
                    "-file", dir.resolve("ca.crt").toString());

            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(srv), PASSWORD.toCharArray());
            SSLContext serverSide = SSLContext.getInstance("TLS");
            serverSide.init(keys.getKeyManagers(), null, null);
            TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trusts.init(load(trust));
            SSLContext clientSide = SSLContext.getInstance("TLS");
            clientSide.init(null, trusts.getTrustManagers(), null);
            clientContext = clientSide;
            serverContext = serverSide;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
