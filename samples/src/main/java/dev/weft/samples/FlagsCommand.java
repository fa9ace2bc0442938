package dev.weft.samples;

import dev.weft.http.HttpServer;
import dev.weft.loop.Async;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * {@code weft flags}: Fluent Python's flag downloader. Downloads the flags of the 20 most populous countries (or the
 * codes asked for) from a flag server, saves them, and says how long it took and what failed, by kind; failures are
 * counted, never the end of the run. With no {@code --server} it starts the flag server in this process, on a loop
 * thread of its own, so it works on a fresh clone with nothing else running.
 */
final class FlagsCommand implements Command {
    /** Fluent Python's twenty: the most populous countries, in that order. */
    static final List<String> POPULOUS = List.of("CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX",
            "PH", "VN", "ET", "EG", "DE", "IR", "TR", "CD", "FR");

    @Override
    public String name() {
        return "flags";
    }

    @Override
    public String summary() {
        return "download flags, as Fluent Python does [--server URL] [--mode async|sequential|threads|virtual]"
                + " [--concurrency N] [--codes CN,IN,...|--all] [--repeat N] [--warmup N] [--out DIR]";
    }

    /** How the flags are downloaded. */
    enum Mode { sequential, threads, virtual, async }

    /** The command line, as picocli fills it in. */
    @CommandLine.Command(name = "weft flags", description = "Download flags from a flag server and save them; with no"
            + " --server, from one started in this process.",
            footer = {"Examples:", "  weft flags", "  weft flags --server http://127.0.0.1:8002 --concurrency 20"
                    + " --mode async --loop epoll", "  weft flags --all --mode threads --repeat 5 --warmup 5"})
    static final class Arguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Option(names = "--server", description = "the flag server, http://HOST:PORT (default: one started here)")
        String server;
        @Option(names = "--mode", description = "async (Weft's client, --concurrency tasks; the default), or the JDK "
                + "client: sequential (one at a time), threads (on --concurrency threads), virtual (a virtual thread "
                + "per request, --concurrency at once)")
        Mode mode = Mode.async;
        @Option(names = "--concurrency", description = "requests in flight at most (default 20)")
        int concurrency = 20;
        @Option(names = "--codes", split = ",", description = "the country codes (default the 20 most populous)")
        List<String> codes;
        @Option(names = "--all", description = "every flag the embedded server has (247)")
        boolean all;
        @Option(names = "--repeat", description = "timed rounds (default 1)")
        int repeat = 1;
        @Option(names = "--warmup", description = "untimed rounds first (default 0)")
        int warmup;
        @Option(names = "--out", description = "the directory the flags are saved in (default downloaded)")
        Path out = Path.of("downloaded");
        @Option(names = "--timeout", description = "seconds for each request (default 10)")
        double timeout = 10;
        @Option(names = "--block-once", paramLabel = "MS", description = "the flag server started here blocks its loop"
                + " for MS in the first request, as a bug would: what `weft --debug flags` reports (default 0: never)")
        long blockOnce;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Arguments arguments = Picocli.parse(new Arguments(), args, out);
        if (arguments == null) {
            return 0; // --help
        }
        List<String> codes = codes(arguments);
        Duration timeout = checked(arguments);
        FlagFiles files = FlagFiles.in(arguments.out);
        if (arguments.blockOnce != 0 && arguments.server != null) {
            throw new Options.UsageException("weft flags: --block-once is for the flag server started here; with "
                    + "--server, give it to that server: weft flag-server --block-once MS");
        }
        try (EmbeddedServer embedded = arguments.server == null ? EmbeddedServer.start(blockOnce(arguments)) : null) {
            String base = embedded != null ? embedded.base() : flagsUrl(arguments.server);
            Run run = new Run(codes, arguments, files, out);
            String where = "from " + base + (embedded != null ? " (the flag server started here)" : "");
            return switch (arguments.mode) {
                case async -> Loops.run(() -> {
                    try (FlagDownloader downloader = new AsyncFlagDownloader(base, arguments.concurrency, timeout)) {
                        return run.against(downloader, "downloading " + run.describe() + " " + where
                                + ", async on the " + Async.loop().backendName() + " loop, concurrency "
                                + arguments.concurrency);
                    }
                });
                case sequential, threads, virtual -> {
                    String how = switch (arguments.mode) {
                        case threads -> "on " + arguments.concurrency + " threads";
                        case virtual -> "on a virtual thread per request, " + arguments.concurrency + " at once";
                        default -> "one request at a time";
                    };
                    try (FlagDownloader downloader = switch (arguments.mode) {
                        case threads -> JdkFlagDownloader.onThreads(base, arguments.concurrency, timeout);
                        case virtual -> JdkFlagDownloader.onVirtualThreads(base, arguments.concurrency, timeout);
                        default -> JdkFlagDownloader.sequential(base, timeout);
                    }) {
                        yield run.against(downloader, "downloading " + run.describe() + " " + where
                                + ", the JDK client " + how);
                    }
                }
            };
        }
    }

    /** One command's rounds: the warm-up, then the timed rounds, tallied, saved and summed up. */
    private record Run(List<String> codes, Arguments arguments, FlagFiles files, PrintStream out) {
        String describe() {
            return codes.size() + (codes.size() == 1 ? " flag" : " flags") + (arguments.repeat > 1
                    ? " × " + arguments.repeat + " rounds" : "") + (arguments.warmup > 0
                    ? " after " + arguments.warmup + " warm-up rounds" : "");
        }

        /** Say what it does (once a signal would be answered with a summary), then do it. */
        int against(FlagDownloader downloader, String header) throws Exception {
            boolean terminal = System.console() != null && System.console().isTerminal();
            FlagTally tally = new FlagTally(codes.size() * arguments.repeat, out, terminal, arguments.repeat == 1);
            long[] started = {System.nanoTime()}; // the timed rounds' start, once the warm-up is over
            // The JDK modes run outside any loop, where a signal ends the JVM at once: say what finished on the way.
            Thread onSignal = Task.currentOrNull() != null ? null : new Thread(() -> {
                tally.endProgress();
                out.println("stopped: " + summary(tally, System.nanoTime() - started[0]));
                out.flush();
            });
            if (onSignal != null) {
                Runtime.getRuntime().addShutdownHook(onSignal);
            }
            out.println(header);
            out.flush();
            try {
                for (int i = 0; i < arguments.warmup; i++) {
                    downloader.round(codes, result -> { });
                }
                started[0] = System.nanoTime();
                for (int i = 0; i < arguments.repeat; i++) {
                    downloader.round(codes, result -> {
                        tally.add(result);
                        try {
                            files.save(result);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                }
            } catch (CancellationException stopped) {
                tally.endProgress();
                out.println("stopped: " + summary(tally, System.nanoTime() - started[0]));
                throw stopped;
            } finally {
                if (onSignal != null) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(onSignal);
                    } catch (IllegalStateException shuttingDown) {
                        // the signal came: the hook says what finished
                    }
                }
            }
            tally.endProgress();
            out.println(summary(tally, System.nanoTime() - started[0]));
            if (tally.failed() > 0) {
                out.println(tally.failureSummary());
            }
            out.flush();
            return tally.failed() == 0 ? 0 : 1;
        }

        private String summary(FlagTally tally, long nanos) {
            double seconds = nanos / 1e9;
            String rate = arguments.repeat > 1 ? String.format(Locale.ROOT, " (%.0f flags/s)",
                    tally.done() / seconds) : "";
            String delay = tally.longestDelay() < 0 ? "" : "; the server's longest delay was "
                    + tally.longestDelay() + " ms";
            return tally.downloaded() + (tally.downloaded() == 1 ? " flag" : " flags") + " downloaded in "
                    + String.format(Locale.ROOT, "%.2fs", seconds) + rate + ", saved in " + files.dir() + delay;
        }
    }

    private static List<String> codes(Arguments arguments) {
        if (arguments.all && arguments.codes != null) {
            throw new Options.UsageException("weft flags: --codes and --all ask for different flags; give one");
        }
        if (arguments.all) {
            return FlagServer.FLAGS.keySet().stream().map(cc -> cc.toUpperCase(Locale.ROOT)).toList();
        }
        if (arguments.codes == null) {
            return POPULOUS;
        }
        List<String> codes = arguments.codes.stream().map(String::strip).filter(cc -> !cc.isEmpty())
                .map(cc -> cc.toUpperCase(Locale.ROOT)).toList();
        for (String code : codes) {
            if (!code.matches("[A-Z]{2}")) {
                throw new Options.UsageException("weft flags: a country code is two letters, such as CN; not '"
                        + code + "'");
            }
        }
        if (codes.isEmpty()) {
            throw new Options.UsageException("weft flags: --codes names no country; give some, such as CN,IN,US");
        }
        return codes;
    }

    private static Duration checked(Arguments arguments) {
        if (arguments.concurrency < 1 || arguments.concurrency > 10_000) {
            throw new Options.UsageException("weft flags: --concurrency is 1 to 10000, not " + arguments.concurrency);
        }
        if (arguments.repeat < 1 || arguments.warmup < 0) {
            throw new Options.UsageException("weft flags: --repeat is 1 or more and --warmup 0 or more, not "
                    + arguments.repeat + " and " + arguments.warmup);
        }
        if (!(arguments.timeout > 0 && arguments.timeout <= 86_400)) {
            throw new Options.UsageException("weft flags: --timeout is seconds, more than 0, not "
                    + arguments.timeout);
        }
        return Duration.ofMillis(Math.max(1, (long) (arguments.timeout * 1000)));
    }

    /** {@code http://host:port}, with or without {@code /flags/}, as the base the flags' names go after. */
    /** The embedded server's behaviour: prompt, blocking its loop once if asked (--block-once, to show debug mode). */
    private static FlagServer.Behaviour blockOnce(Arguments arguments) {
        try {
            return FlagServer.Behaviour.PROMPT.blockingOnce(Duration.ofMillis(arguments.blockOnce));
        } catch (IllegalArgumentException e) {
            throw new Options.UsageException("weft flags: " + e.getMessage());
        }
    }

    static String flagsUrl(String server) {
        String url = server.strip();
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new Options.UsageException("weft flags: --server is a URL such as http://127.0.0.1:8001, not '"
                    + server + "'");
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return url.endsWith("/flags") ? url + "/" : url + "/flags/";
    }

    /** The flag server in this process, on a loop thread of its own, until closed; base is its flags' URL. */
    private record EmbeddedServer(LoopGroup group, HttpServer server, String base) implements AutoCloseable {
        static EmbeddedServer start(FlagServer.Behaviour behaviour) {
            LoopGroup group = LoopGroup.open(1);
            try {
                // The server is its loop's: it is started, and its port read, there.
                HttpServer server = group.submit(() -> FlagServer.start("127.0.0.1", 0, behaviour)).join();
                return new EmbeddedServer(group, server, server.url("/flags/"));
            } catch (RuntimeException e) {
                group.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                group.submit(() -> {
                    server.close(); // on its loop, in a task, as a server's calls must be
                    return null;
                }).join();
            } finally {
                group.close(); // stops the loop, which closes the connections still open
            }
        }
    }
}
