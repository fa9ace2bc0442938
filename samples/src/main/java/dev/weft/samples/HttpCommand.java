package dev.weft.samples;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.http.HttpProtocolException;
import dev.weft.http.HttpRequest;
import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.http.HttpSessionBuilder;
import dev.weft.http.HttpTimeoutException;
import dev.weft.http.HttpTimeouts;
import dev.weft.http.MultipartBody;
import dev.weft.http.RequestBody;
import dev.weft.http.TooManyRedirectsException;
import dev.weft.loop.Loops;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * {@code weft http}: curl's everyday options on Weft's HTTP client. The body goes to stdout (after the status line and
 * headers with {@code -i}) or to a file with {@code -o}; a failure is one line on stderr and curl's exit status.
 */
final class HttpCommand implements Command {
    /** curl's exit statuses, so scripts written for curl read these the same. */
    static final int FAILED_STATUS = 22;
    static final int CANNOT_RESOLVE = 6;
    static final int CANNOT_CONNECT = 7;
    static final int MALFORMED_RESPONSE = 8;
    static final int TIMED_OUT = 28;
    static final int TLS_FAILED = 35;
    static final int TOO_MANY_REDIRECTS = 47;
    static final int NETWORK_FAILED = 56;

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "curl-like HTTP requests [-X METHOD] [-H 'K: V']... [-d DATA|@FILE | --json JSON | -F K=V|K=@FILE]..."
                + " [-i] [-o FILE] [--max-redirects N] [--timeout S] [-x PROXY] URL (without -x, the environment's"
                + " proxies, as curl); exit 22 on a status >= 400, curl's codes on failures";
    }

    /** The command line, as picocli fills it in. */
    @CommandLine.Command(name = "weft http", description = "curl's everyday options on Weft's HTTP client: the body on"
            + " stdout (the status line and headers first with -i), exit 22 on a status >= 400, curl's exit codes on"
            + " failures.", footer = {"Examples:", "  weft http -i https://example.org/",
            "  weft http --json '{\"name\": \"weft\"}' http://127.0.0.1:8080/post",
            "  weft http -F title=flags -F file=@cn.png http://127.0.0.1:8080/upload"})
    static final class Arguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Option(names = {"-X", "--request"}, description = "the method (GET, or POST with a body)")
        String method;
        @Option(names = {"-H", "--header"}, description = "a header, 'Name: value'; repeatable")
        List<String> headers = new ArrayList<>();
        @Option(names = {"-d", "--data"}, description = "a form body, sent as application/x-www-form-urlencoded;"
                + " @FILE streams the file as it is (curl would strip its newlines)")
        String data;
        @Option(names = {"-F", "--form"}, description = "a multipart/form-data part, name=value or name=@FILE"
                + "[;type=TYPE] (the file streamed from disk); repeatable")
        List<String> form = new ArrayList<>();
        @Option(names = "--json", description = "a JSON body, sent as application/json")
        String json;
        @Option(names = {"-i", "--include"}, description = "print the status line and headers before the body")
        boolean include;
        @Option(names = {"-o", "--output"}, description = "write the body to this file, with progress on a terminal")
        Path output;
        @Option(names = "--max-redirects", description = "redirects to follow (default 10; 0: none)")
        int maxRedirects = 10;
        @Option(names = "--timeout", description = "seconds for the whole request (default 300)")
        double timeout = 300;
        @Option(names = {"-x", "--proxy"}, description = "the HTTP proxy, http://[user:password@]host:port. Without "
                + "-x, as curl, the environment's http_proxy, https_proxy, all_proxy and no_proxy (or upper case) "
                + "apply; -x '' uses no proxy at all")
        String proxy;
        @Parameters(arity = "1", paramLabel = "URL")
        String url;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = parse(args, out);
        if (arguments == null) {
            return 0; // --help
        }
        HttpSessionBuilder settings = proxied(HttpSession.builder(), arguments.proxy);
        try {
            return Loops.run(() -> {
                try (HttpSession session = settings
                        .timeouts(HttpTimeouts.DEFAULTS.withTotal(Duration.ofMillis((long) (arguments.timeout * 1000))))
                        .maxRedirects(arguments.maxRedirects)
                        .build();
                     HttpResponse response = request(session, arguments).send()) {
                    if (arguments.include) {
                        printHead(response, out);
                    }
                    long written = arguments.output == null ? copy(response, out, null)
                            : saveTo(arguments.output, response, err);
                    out.flush();
                    if (arguments.output != null) {
                        err.println("weft http: saved " + written + " bytes to " + arguments.output);
                    }
                    return response.status() >= 400 ? FAILED_STATUS : 0;
                }
            });
        } catch (IOException e) {
            err.println("weft http: " + e.getMessage());
            return exitStatus(e);
        }
    }

    /** The arguments, checked; null if {@code --help} was asked for (the usage is then printed on out). */
    private static Arguments parse(List<String> args, PrintStream out) {
        Arguments arguments = Picocli.parse(new Arguments(), args, out);
        if (arguments == null) {
            return null;
        }
        if ((arguments.data != null ? 1 : 0) + (arguments.json != null ? 1 : 0) + (arguments.form.isEmpty() ? 0 : 1)
                > 1) {
            throw new Options.UsageException("weft http: -d, --json and -F are different bodies; give one kind");
        }
        if (arguments.timeout <= 0 || arguments.timeout > 86_400) {
            throw new Options.UsageException("weft http: --timeout takes seconds above 0, like 2.5");
        }
        if (arguments.maxRedirects < 0) {
            throw new Options.UsageException("weft http: --max-redirects takes 0 or more");
        }
        return arguments;
    }

    /**
     * The proxy as curl picks it: {@code -x} wins, {@code -x ''} turns proxies off, and without {@code -x} the
     * environment's apply (a library session trusts the environment only when told to; a command line, as curl, does).
     */
    private static HttpSessionBuilder proxied(HttpSessionBuilder builder, String proxy) {
        try {
            return proxy == null ? builder.trustEnv() : proxy.isEmpty() ? builder : builder.proxy(proxy);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("weft http: " + e.getMessage());
        }
    }

    private static HttpRequest request(HttpSession session, Arguments arguments) throws IOException {
        boolean hasBody = arguments.data != null || arguments.json != null || !arguments.form.isEmpty();
        String method = arguments.method != null ? arguments.method : hasBody ? "POST" : "GET";
        HttpRequest request;
        try {
            request = session.request(method, arguments.url);
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("weft http: " + e.getMessage());
        }
        for (String header : arguments.headers) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new Options.UsageException("weft http: -H takes 'Name: value', not '" + header + "'");
            }
            try {
                request.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new Options.UsageException("weft http: " + e.getMessage());
            }
        }
        if (arguments.data != null && arguments.data.startsWith("@")) {
            request.body(RequestBody.file(file(arguments.data.substring(1), "-d"), "application/x-www-form-urlencoded"));
        } else if (arguments.data != null) {
            request.body(arguments.data.getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        }
        if (!arguments.form.isEmpty()) {
            request.body(multipart(arguments.form));
        }
        if (arguments.json != null) {
            try {
                new ObjectMapper().readTree(arguments.json); // refused here, not by the server
            } catch (JacksonException e) {
                throw new Options.UsageException("weft http: --json is not JSON: " + e.getOriginalMessage());
            }
            request.body(arguments.json.getBytes(StandardCharsets.UTF_8), "application/json");
        }
        return request;
    }

    /** curl's {@code -F}: {@code name=value}, or {@code name=@file} with an optional {@code ;type=media/type}. */
    private static MultipartBody multipart(List<String> parts) throws IOException {
        MultipartBody.Builder form = MultipartBody.builder();
        for (String part : parts) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new Options.UsageException("weft http: -F takes name=value or name=@FILE, not '" + part + "'");
            }
            String name = part.substring(0, equals);
            String value = part.substring(equals + 1);
            if (!value.startsWith("@")) {
                form.field(name, value);
                continue;
            }
            String path = value.substring(1);
            String type = null;
            int semicolon = path.lastIndexOf(";type=");
            if (semicolon >= 0) {
                type = path.substring(semicolon + ";type=".length());
                path = path.substring(0, semicolon);
            }
            Path file = file(path, "-F");
            String fileName = file.getFileName().toString();
            form.file(name, file, fileName, type != null ? type : RequestBody.guessContentType(fileName));
        }
        return form.build();
    }

    /** A file named on the command line, which must be there to read. */
    private static Path file(String name, String option) {
        Path file = Path.of(name);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new Options.UsageException("weft http: " + option + " @" + name + ": no such readable file");
        }
        return file;
    }

    private static void printHead(HttpResponse response, PrintStream out) {
        out.print("HTTP/1.1 " + response.status() + (response.reason().isEmpty() ? "" : " " + response.reason())
                + "\r\n");
        for (Map.Entry<String, String> header : response.headers()) {
            out.print(header.getKey() + ": " + header.getValue() + "\r\n");
        }
        out.print("\r\n");
    }

    /** Copy the body, telling the progress to stderr when it is a terminal; returns the bytes written. */
    private static long copy(HttpResponse response, OutputStream to, Progress progress) throws IOException {
        long written = 0;
        for (ByteBuffer chunk = response.readChunk(); chunk != null; chunk = response.readChunk()) {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            to.write(bytes);
            written += bytes.length;
            if (progress != null) {
                progress.update(written);
            }
        }
        return written;
    }

    private static long saveTo(Path file, HttpResponse response, PrintStream err) throws IOException {
        Progress progress = System.console() != null && System.console().isTerminal()
                ? new Progress(err, response.headers().first("Content-Length")) : null;
        try (OutputStream to = Files.newOutputStream(file)) {
            long written = copy(response, to, progress);
            if (progress != null) {
                progress.done();
            }
            return written;
        }
    }

    /** curl's exit status for the failure. */
    static int exitStatus(IOException e) {
        return switch (e) {
            case UnknownHostException unknown -> CANNOT_RESOLVE;
            case ConnectException refused -> CANNOT_CONNECT;
            case HttpTimeoutException timeout -> TIMED_OUT;
            case SSLException tls -> TLS_FAILED;
            case HttpProtocolException malformed -> MALFORMED_RESPONSE;
            case TooManyRedirectsException redirects -> TOO_MANY_REDIRECTS;
            default -> NETWORK_FAILED;
        };
    }

    /** A one-line progress bar on stderr, redrawn at most ten times a second. */
    private static final class Progress {
        private final PrintStream err;
        private final long total;
        private long drawnAt;

        Progress(PrintStream err, String contentLength) {
            this.err = err;
            long length;
            try {
                length = contentLength == null ? -1 : Long.parseLong(contentLength);
            } catch (NumberFormatException e) {
                length = -1;
            }
            this.total = length;
        }

        void update(long bytes) {
            long now = System.nanoTime();
            if (now - drawnAt < 100_000_000L) {
                return;
            }
            drawnAt = now;
            err.print("\rweft http: " + bytes / 1024 + " KiB" + (total > 0 ? " of " + total / 1024 + " KiB ("
                    + bytes * 100 / total + "%)" : ""));
            err.flush();
        }

        void done() {
            err.print("\r");
        }
    }
}
