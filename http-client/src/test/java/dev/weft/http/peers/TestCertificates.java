package dev.weft.http.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for one test run and a server certificate it signed for {@code localhost} and
 * {@code 127.0.0.1} (P-256 keys, valid two days), as PEM files in a directory — what nginx reads — and as the JDK
 * objects a client trusts them with. Made with the {@code openssl} command line: the JDK has no public API that
 * issues certificates, and keytool cannot write the PEM private key nginx needs.
 */
public final class TestCertificates {
    private final Path caCertificate;
    private final Path serverCertificate;
    private final Path serverKey;

    private TestCertificates(Path dir) {
        this.caCertificate = dir.resolve("ca.pem");
        this.serverCertificate = dir.resolve("server.pem");
        this.serverKey = dir.resolve("server.key");
    }

    /**
     * Makes a new CA and a server certificate in {@code dir} (which must exist): {@code ca.pem}, {@code ca.key},
     * {@code server.pem}, {@code server.key}.
     *
     * @throws IOException if openssl is missing or fails (its output is in the message)
     */
    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(dir);
        String p256 = "ec_paramgen_curve:P-256";
        openssl(dir, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", p256, "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Weft test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", p256, "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("server.ext"), """
                subjectAltName=DNS:localhost,IP:127.0.0.1
                basicConstraints=CA:FALSE
                keyUsage=critical,digitalSignature
                extendedKeyUsage=serverAuth
                """);
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", "2",
                "-days", "2", "-out", "server.pem", "-extfile", "server.ext");
        return certificates;
    }

    /** The CA's certificate, PEM: what a client trusts. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The server's certificate (for localhost and 127.0.0.1, signed by the CA), PEM. */
    public Path serverCertificate() {
        return serverCertificate;
    }

    /** The server's private key, PEM (PKCS#8, unencrypted). */
    public Path serverKey() {
        return serverKey;
    }

    /** A PKCS#12 key store holding only the CA's certificate, as a trusted entry "weft-test-ca". */
    public KeyStore trustStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            store.setCertificateEntry("weft-test-ca", ca);
        }
        return store;
    }

    /** A client's TLS context that trusts this CA and nothing else. */
    public SSLContext clientContext() throws IOException, GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run openssl to make test certificates (" + e.getMessage()
                    + "); install it: .ci/install-http-peers", e);
        }
        byte[] output = process.getInputStream().readAllBytes(); // ends when openssl exits and closes its output
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + new String(output).strip());
        }
    }
}
