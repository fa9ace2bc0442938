package dev.weft.bench.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The echo benchmark, side by side in one run: each server in its own process pinned to core 0, the load generator
 * (this process, pinned to core 1 by the command below) driving it with one message outstanding per connection.
 * Reports requests/s, p50/p99 latency, the server's CPU time per request, and each row's ratio to raw Netty.
 *
 * <pre>
 * taskset -c 1 java -cp bench/target/benchmarks.jar dev.weft.bench.echo.EchoBench --seconds 5 --connections 10,100 --sizes 1024
 * </pre>
 *
 * Needs {@code samples/target/weft.jar} (./weft builds it) for the Weft rows; run from the repository root.
 */
public final class EchoBench {
    private static final String ADD_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    private EchoBench() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        Duration warmup = Duration.ofMillis((long) (options.decimal("warmup", 2) * 1000));
        Duration measured = Duration.ofMillis((long) (options.decimal("seconds", 5) * 1000));
        List<Integer> connections = integers(options.text("connections", "10,100"));
        List<Integer> sizes = integers(options.text("sizes", "1024"));
        Path weftJar = Path.of(options.text("weft-jar", "samples/target/weft.jar"));
        Path benchJar = Path.of(EchoBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        if (!Files.exists(weftJar)) {
            throw new IllegalArgumentException(weftJar + " is missing: run ./weft loops once to build it");
        }
        int port = options.integer("port", 7400);
        Map<String, List<String>> servers = new LinkedHashMap<>();
        servers.put("netty-nio", List.of("-cp", benchJar.toString(), NettyEchoServer.class.getName(),
                "--port", String.valueOf(port)));
        for (String mode : List.of("protocol", "streams")) {
            servers.put("weft-nio-" + mode, List.of(ADD_OPENS, "-Dweft.loop=nio", "-jar", weftJar.toString(),
                    "echo-server", "--port", String.valueOf(port), "--mode", mode));
        }

        System.out.printf(Locale.ROOT, "%-20s %6s %6s %11s %9s %9s %12s %9s%n",
                "server", "size", "conns", "req/s", "p50 us", "p99 us", "cpu us/req", "cpu/netty");
        for (int size : sizes) {
            for (int conns : connections) {
                Double nettyCpu = null;
                for (var server : servers.entrySet()) {
                    try (ServerProcess process = ServerProcess.start(server.getKey(), server.getValue(), 0, port)) {
                        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
                        EchoLoad.run(address, conns, size, Duration.ZERO, warmup); // JIT and caches warm, not counted
                        long cpuBefore = process.cpuMicros();
                        EchoLoad.Result result = EchoLoad.run(address, conns, size, Duration.ZERO, measured);
                        double cpuPerRequest = (process.cpuMicros() - cpuBefore) / (double) result.requests();
                        if (nettyCpu == null) {
                            nettyCpu = cpuPerRequest;
                        }
                        System.out.printf(Locale.ROOT, "%-20s %6d %6d %11.0f %9.0f %9.0f %12.2f %9.2f%n",
                                server.getKey(), size, conns, result.requestsPerSecond(), result.p50Micros(),
                                result.p99Micros(), cpuPerRequest, cpuPerRequest / nettyCpu);
                    }
                }
            }
        }
    }

    private static List<Integer> integers(String list) {
        List<Integer> values = new ArrayList<>();
        for (String item : list.split(",")) {
            values.add(Integer.parseInt(item.trim()));
        }
        return values;
    }
}
