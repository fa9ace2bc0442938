package dev.weft.bench.echo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of the echo benchmark: every server it can start, in report order, each with the row its CPU per request
 * is divided by. A Weft row is compared with raw Netty on the same transport (the same kernel interface, so the ratio
 * is the price of Weft alone); the virtual-thread rows with the plain virtual-thread server.
 */
public final class EchoServers {

    /**
     * One server under test: its row name, the row it is measured against, and how to start it on a port: a JVM with
     * these arguments after the common flags, or (native) the program these arguments name.
     */
    public record Spec(String name, String baseline, List<String> mainArgs, boolean isNative) {
        Spec(String name, String baseline, List<String> mainArgs) {
            this(name, baseline, mainArgs, false);
        }

        /** The command that starts the server listening on {@code port}: java and its flags, or the program. */
        public List<String> command(List<String> jvmFlags, int port) throws IOException {
            List<String> command = new ArrayList<>();
            if (isNative) {
                command.add(CEchoServer.built().toString());
            } else {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmFlags);
                command.addAll(mainArgs);
            }
            command.addAll(List.of("--port", String.valueOf(port)));
            return command;
        }
    }

    /** The C epoll server's row: the kernel's floor, against which every row's CPU per echo is also shown. */
    static final String C_FLOOR = "c-epoll";

    /**
     * The same JVM flags for every server, so rows differ only in their code. Netty 4.2 leaves {@code sun.misc.Unsafe}
     * alone on JDK 25 unless memory access is allowed, and without it runs slower paths; reflection into java.nio lets
     * it free direct buffers without a Cleaner. Netty's leak detector, a debugging aid, takes a stack trace for one
     * buffer in 128 (about 1% of the server's CPU in a profile), so it is off, for Weft's Netty-based backends too.
     * Weft's carried tasks need java.lang opened. A fixed heap and the
     * serial collector (what the JVM would pick on one core anyway) keep the GC from differing between rows.
     */
    public static final List<String> COMMON_JVM_FLAGS = List.of(
            "-Xms512m", "-Xmx512m", "-XX:+UseSerialGC",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.leakDetection.level=disabled");

    private EchoServers() {
    }

    /** Every row, in report order, keyed by name. */
    public static Map<String, Spec> all(Path benchJar, Path weftJar) {
        Map<String, Spec> rows = new LinkedHashMap<>();
        for (String transport : List.of("nio", "epoll", "iouring")) {
            String netty = "netty-" + transport;
            add(rows, new Spec(netty, netty, List.of("-cp", benchJar.toString(), NettyEchoServer.class.getName(),
                    "--transport", transport)));
            addWeft(rows, weftJar, transport, netty);
        }
        // raw Netty on io_uring with provided buffers and multishot receives (NettyEchoServer): what goal 4 asked of
        // io_uring, measured before asking it of Weft
        add(rows, new Spec("netty-iouring-ring", "netty-iouring", List.of("-cp", benchJar.toString(),
                NettyEchoServer.class.getName(), "--transport", "iouring", "--buffer-ring", "true")));
        addWeft(rows, weftJar, "vthreads", "plain-vthreads");
        add(rows, new Spec("plain-vthreads", "plain-vthreads",
                List.of("-cp", benchJar.toString(), PlainEchoServer.class.getName())));
        add(rows, new Spec(C_FLOOR, C_FLOOR, List.of(), true));
        return rows;
    }

    /** The servers named, comma-separated, in that order; {@code all} for every one. */
    static List<Spec> select(Map<String, Spec> all, String names) {
        if (names.equals("all")) {
            return List.copyOf(all.values());
        }
        List<Spec> chosen = new ArrayList<>();
        for (String name : names.split(",")) {
            Spec spec = all.get(name.trim());
            if (spec == null) {
                throw new IllegalArgumentException("--servers: no server '" + name.trim() + "'; known: "
                        + String.join(",", all.keySet()));
            }
            chosen.add(spec);
        }
        return chosen;
    }

    /**
     * The servers named, each Weft row followed by its twin started from {@code candidateJar} instead (a change, to be
     * measured against the row it changes): named {@code <row>@candidate}, with that row as its baseline.
     */
    static List<Spec> withCandidates(List<Spec> servers, Path weftJar, Path candidateJar) {
        List<Spec> rows = new ArrayList<>();
        for (Spec spec : servers) {
            rows.add(spec);
            if (spec.mainArgs().contains(weftJar.toString())) {
                rows.add(new Spec(spec.name() + "@candidate", spec.name(), spec.mainArgs().stream()
                        .map(arg -> arg.equals(weftJar.toString()) ? candidateJar.toString() : arg).toList()));
            }
        }
        if (rows.size() == servers.size()) {
            throw new IllegalArgumentException("--candidate-jar: none of the servers named is a Weft row");
        }
        return rows;
    }

    private static void addWeft(Map<String, Spec> rows, Path weftJar, String loop, String baseline) {
        for (String mode : List.of("protocol", "streams")) {
            add(rows, new Spec("weft-" + loop + "-" + mode, baseline,
                    List.of("-Dweft.loop=" + loop, "-jar", weftJar.toString(), "echo-server", "--mode", mode)));
        }
    }

    private static void add(Map<String, Spec> rows, Spec spec) {
        rows.put(spec.name(), spec);
    }
}
