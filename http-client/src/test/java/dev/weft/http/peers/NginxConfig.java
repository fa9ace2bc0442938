package dev.weft.http.peers;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The nginx.conf of one test server: everything it writes (pid, logs, temp files) stays in its own directory, so it
 * runs next to any other nginx, as any user, and leaves nothing behind.
 *
 * @param dir         the server's directory (nginx's prefix); the docroot is {@code dir/docroot}
 * @param httpsPort   0 for no HTTPS
 * @param certificate the server's certificate and key for HTTPS, or null
 */
record NginxConfig(Path dir, int port, int httpsPort, TestCertificates certificate, Duration keepaliveTimeout,
                   int keepaliveRequests, int workerProcesses, boolean accessLog, String serverConfig) {

    /** Where Debian's famfamfam-flag-png puts its flags: 16×11 PNGs named by lower-case ISO 3166 code. */
    static final Path FLAGS = Path.of("/usr/share/flags/countries/16x11");

    String render(boolean runningAsRoot) {
        StringBuilder conf = new StringBuilder();
        // Run in the foreground as our child, stopped by its PID. As root, the master would hand its workers to
        // "nobody", who cannot read our private temp directory: keep them root. Other users cannot switch at all.
        conf.append("daemon off;\nmaster_process on;\n");
        if (runningAsRoot) {
            conf.append("user root;\n");
        }
        conf.append("worker_processes ").append(workerProcesses).append(";\n")
                .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
                // To stderr, which the test's PeerProcess keeps in nginx.log with the startup errors.
                .append("error_log stderr notice;\n")
                .append("events { worker_connections 1024; }\n")
                .append("http {\n");
        String temp = dir.resolve("temp").toString();
        for (String kind : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            conf.append("  ").append(kind).append("_temp_path ").append(temp).append('/').append(kind).append(";\n");
        }
        // Its own types rather than /etc/nginx/mime.types: the tests depend on nothing else of the package's.
        conf.append("""
                  types { text/plain txt; text/html html; application/json json; image/png png;
                          application/octet-stream bin; }
                  default_type application/octet-stream;
                """)
                .append("  access_log ").append(accessLog ? dir.resolve("access.log").toString() : "off").append(";\n")
                .append("  sendfile on;\n  tcp_nopush on;\n  tcp_nodelay on;\n")
                .append("  keepalive_timeout ").append(keepaliveTimeout.toMillis()).append("ms;\n")
                .append("  keepalive_requests ").append(keepaliveRequests).append(";\n")
                // Text goes out gzip'd, and so chunked (its length is not known up front), when the client asks.
                .append("  gzip on;\n  gzip_types text/plain application/json;\n  gzip_min_length 1;\n")
                .append("  gzip_vary on;\n")
                .append("  server {\n")
                .append("    listen 127.0.0.1:").append(port).append(";\n");
        if (httpsPort != 0) {
            conf.append("    listen 127.0.0.1:").append(httpsPort).append(" ssl;\n")
                    .append("    ssl_certificate ").append(certificate.serverCertificate()).append(";\n")
                    .append("    ssl_certificate_key ").append(certificate.serverKey()).append(";\n")
                    .append("    ssl_protocols TLSv1.2 TLSv1.3;\n");
        }
        conf.append("    server_name localhost;\n")
                .append("    root ").append(dir.resolve("docroot")).append(";\n")
                .append("    location /flags/ { alias ").append(FLAGS).append("/; }\n");
        if (!serverConfig.isBlank()) {
            conf.append(serverConfig.indent(4));
        }
        return conf.append("  }\n}\n").toString();
    }
}
