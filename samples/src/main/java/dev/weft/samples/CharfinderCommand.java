package dev.weft.samples;

import dev.weft.loop.Async;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code weft charfinder}: Fluent Python's Unicode character finder. {@code query WORDS...} prints the characters
 * whose names hold every word; {@code serve} answers queries over TCP (a query per line) and HTTP
 * ({@code /?q=WORDS}) until stopped.
 */
final class CharfinderCommand implements Command {
    private static final String USAGE = "weft charfinder query WORDS... | weft charfinder serve [--host H] [--tcp P]"
            + " [--http P]";

    @Override
    public String name() {
        return "charfinder";
    }

    @Override
    public String summary() {
        return "find Unicode characters by the words of their names: query WORDS..., or serve [--tcp P] [--http P]";
    }

    /** The options of {@code serve}, as picocli fills them in. */
    @CommandLine.Command(name = "weft charfinder serve", description = "Answer charfinder queries over TCP (a query"
            + " per line, an empty line ends) and HTTP (GET /?q=WORDS) until stopped.",
            footer = {"Example: weft charfinder serve --tcp 2323 --http 8888", "  then: nc 127.0.0.1 2323, or "
                    + "curl '127.0.0.1:8888/?q=cat+face'"})
    static final class ServeArguments {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Option(names = "--host", description = "the address to listen on (default 127.0.0.1)")
        String host = "127.0.0.1";
        @Option(names = "--tcp", description = "the TCP port (default 2323; 0: a free one)")
        int tcp = 2323;
        @Option(names = "--http", description = "the HTTP port (default 8888; 0: a free one)")
        int http = 8888;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String action = args.isEmpty() ? "" : args.getFirst();
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        return switch (action) {
            case "query" -> query(rest, out);
            case "serve" -> serve(rest, out);
            case "-h", "--help" -> {
                out.println("usage: " + USAGE);
                yield 0;
            }
            default -> throw new Options.UsageException("weft charfinder: say query or serve"
                    + (action.isEmpty() ? "" : ", not '" + action + "'") + "; usage: " + USAGE);
        };
    }

    private static int query(List<String> words, PrintStream out) {
        if (words.isEmpty() || words.stream().allMatch(String::isBlank)) {
            throw new Options.UsageException("weft charfinder query: give words of a name, such as: weft charfinder"
                    + " query cat face");
        }
        String answer = CharfinderServer.answer(String.join(" ", words));
        out.print(answer);
        out.flush();
        return answer.startsWith("0 characters") ? 1 : 0; // as grep: nothing found is status 1
    }

    private static int serve(List<String> args, PrintStream out) throws Exception {
        ServeArguments arguments = Picocli.parse(new ServeArguments(), args, out);
        if (arguments == null) {
            return 0; // --help
        }
        Picocli.port("weft charfinder serve", "--tcp", arguments.tcp);
        Picocli.port("weft charfinder serve", "--http", arguments.http);
        return UntilStopped.serve("charfinder", () -> CharfinderServer.start(arguments.host, arguments.tcp,
                arguments.http), server -> "charfinder (" + Async.loop().backendName() + " loop): TCP on "
                + arguments.host + ":" + server.tcpPort() + ", HTTP on http://" + arguments.host + ":"
                + server.httpPort() + "/?q=", out);
    }
}
