package dev.weft.net;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;

/**
 * How to speak TLS on a connection: the SSLContext (keys and trust), the server name a client sends (SNI) and checks
 * the certificate against, and the ALPN protocols offered (client) or accepted in preference order (server).
 * Hostname verification is on unless {@link #insecureSkipHostnameVerification()} turns it off.
 *
 * @param serverName null on a client means "the host connected to" ({@link Streams} fills it in)
 * @param protocols  the TLS versions allowed, such as {@code "TLSv1.3"}; empty: the context's defaults
 */
public record TlsOptions(SSLContext context, String serverName, boolean verifyHostname, List<String> alpn,
                         List<String> protocols) {

    public TlsOptions {
        Objects.requireNonNull(context, "context");
        alpn = List.copyOf(alpn);
        protocols = List.copyOf(protocols);
    }

    /** A client trusting the JDK's default trust store. @throws IllegalStateException if the JDK has no default */
    public static TlsOptions client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /** A client with its own trust (and keys, for client certificates). */
    public static TlsOptions client(SSLContext context) {
        return new TlsOptions(context, null, true, List.of(), List.of());
    }

    /** A server: the context must hold its key and certificate. */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(context, null, true, List.of(), List.of());
    }

    public TlsOptions withServerName(String name) {
        return new TlsOptions(context, name, verifyHostname, alpn, protocols);
    }

    /** ALPN protocols, most preferred first, such as {@code "h2", "http/1.1"}. */
    public TlsOptions withAlpn(String... protocols) {
        return new TlsOptions(context, serverName, verifyHostname, List.of(protocols), this.protocols);
    }

    /** Allow only these TLS versions, such as {@code "TLSv1.3"}. */
    public TlsOptions withProtocols(String... versions) {
        return new TlsOptions(context, serverName, verifyHostname, alpn, List.of(versions));
    }

    /** Accept a trusted certificate for any name. Insecure: anyone with any trusted certificate can impersonate. */
    public TlsOptions insecureSkipHostnameVerification() {
        return new TlsOptions(context, serverName, false, alpn, protocols);
    }

    /** A new engine for one connection, in client or server mode. */
    SSLEngine newEngine(boolean client, int port) {
        SSLEngine engine = client && serverName != null ? context.createSSLEngine(serverName, port)
                : context.createSSLEngine();
        engine.setUseClientMode(client);
        SSLParameters parameters = engine.getSSLParameters();
        if (client) {
            if (verifyHostname) {
                // The JDK checks the certificate against the SNI name, or else the engine's peer host.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (serverName != null && !isIpLiteral(serverName)) {
                parameters.setServerNames(List.of(new SNIHostName(serverName))); // SNI carries no IP literals
            }
        }
        if (!protocols.isEmpty()) {
            parameters.setProtocols(protocols.toArray(String[]::new));
        }
        if (!alpn.isEmpty()) {
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
