package dev.weft.bench.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One workload of the HTTP benchmark: which paths are fetched, in turn, how many requests make one run and how many
 * are in flight at once.
 *
 * @param name        {@code 1k} or {@code flags}, the name the command line and the report use
 * @param paths       fetched round-robin: request {@code i} gets {@code paths[i % paths.size()]}
 * @param requests    requests in one run (timed, or untimed warm-up)
 * @param concurrency requests in flight at once; also each client's connection limit
 */
public record Workload(String name, List<String> paths, int requests, int concurrency) {
    /** The 1 KiB file {@link BenchNginx} serves. */
    public static final String ONE_KIB = "/1k.bin";
    /** Where Debian's famfamfam-flag-png puts its 16×11 flag PNGs, named by lower-case ISO 3166 code. */
    static final Path FLAGS = Path.of("/usr/share/flags/countries/16x11");
    static final int FLAG_COUNT = 20;

    /** (a) of the issue: {@code requests} GETs of a 1 KiB file at concurrency 50. */
    static Workload oneKib(int requests) {
        return new Workload("1k", List.of(ONE_KIB), requests, 50);
    }

    /** (b) of the issue: 20 flag PNGs (the first 20 codes in alphabetical order), {@code rounds} times, at 20. */
    static Workload flags(int rounds) throws IOException {
        try (Stream<Path> files = Files.list(FLAGS)) {
            List<String> paths = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("[a-z]{2}\\.png"))
                    .sorted()
                    .limit(FLAG_COUNT)
                    .map(name -> "/flags/" + name)
                    .toList();
            if (paths.size() < FLAG_COUNT) {
                throw new IOException("found " + paths.size() + " flag PNGs in " + FLAGS + ", need " + FLAG_COUNT
                        + "; install them with .ci/install-http-peers (as root)");
            }
            return new Workload("flags", paths, FLAG_COUNT * rounds, 20);
        }
    }

    /** The workload named on the command line. */
    static Workload named(String name, int requests, int flagRounds) throws IOException {
        return switch (name) {
            case "1k" -> oneKib(requests);
            case "flags" -> flags(flagRounds);
            default -> throw new IllegalArgumentException("no workload '" + name + "'; known: 1k, flags");
        };
    }

    /** The path request {@code i} fetches. */
    String path(int i) {
        return paths.get(i % paths.size());
    }
}
