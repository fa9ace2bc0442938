package dev.weft.net;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A TLS handshake failed; the message says why first ({@link Reason}), the JDK's exception is the cause. */
public final class TlsHandshakeException extends SSLHandshakeException {

    /** Why a handshake fails, as far as the JDK's exceptions tell. */
    public enum Reason { UNTRUSTED_CERTIFICATE, HOSTNAME_MISMATCH, PROTOCOL_VERSION, OTHER }

    private final Reason reason;

    TlsHandshakeException(Reason reason, String message, Throwable cause) {
        super(message);
        this.reason = reason;
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * Classify the JDK's failure. The JDK has no error codes here, only exception types and messages, so this reads
     * both; what it does not recognise is OTHER with the JDK's message.
     *
     * @param serverName the name the client verified, or null
     * @param peer       the peer's certificate if the engine still has it, or null
     */
    static TlsHandshakeException classify(Throwable failure, String serverName, X509Certificate peer) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof CertPathBuilderException || m.contains("PKIX path")
                    || m.contains("unable to find valid certification path")) {
                return new TlsHandshakeException(Reason.UNTRUSTED_CERTIFICATE,
                        "untrusted certificate: no trusted certificate authority signed it (" + m + ")", failure);
            }
            if (t instanceof CertificateException && (m.contains("No subject alternative")
                    || m.contains("No name matching"))) {
                // The JDK checks the name before it records the peer's certificate, so its names are seldom known.
                return new TlsHandshakeException(Reason.HOSTNAME_MISMATCH, peer != null
                        ? "hostname mismatch: certificate is for " + namesOf(peer) + ", not " + serverName
                        : "hostname mismatch: certificate is not for " + serverName + " (" + m + ")", failure);
            }
            if (m.contains("protocol_version") || m.contains("No appropriate protocol")
                    || m.contains("protocol versions")) {
                return new TlsHandshakeException(Reason.PROTOCOL_VERSION,
                        "no common protocol version (" + m + ")", failure);
            }
        }
        return new TlsHandshakeException(Reason.OTHER, "TLS handshake failed: " + failure.getMessage(), failure);
    }

    private static List<String> namesOf(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    names.add(String.valueOf(entry.get(1)));
                }
            }
        } catch (Exception e) {
            // unparseable extension: fall back to the subject below
        }
        if (names.isEmpty()) {
            names.add(certificate.getSubjectX500Principal().getName());
        }
        return names;
    }
}
