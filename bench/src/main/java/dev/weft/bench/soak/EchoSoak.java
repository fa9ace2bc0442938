package dev.weft.bench.soak;

import dev.weft.bench.echo.EchoLoad;
import dev.weft.bench.echo.EchoServers;
import dev.weft.bench.echo.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The echo soak: Weft's streams echo server (a task per connection) on one loop of one backend, in a process of its own
 * pinned to one core, under {@code connections} connections each with one message outstanding for the whole window,
 * driven by the echo benchmark's load generator. The server's footprint is read at the window's two edges.
 */
final class EchoSoak {
    /** Metrics on, so the server registers its loops' MBeans and the probe can count its tasks. */
    private static final List<String> METRICS_ON = List.of("-Dweft.metrics=true");

    private EchoSoak() {
    }

    static SoakRow run(String backend, Path benchJar, Path weftJar, int core, int port, int connections, int size,
                       Duration warmup, Duration measured) throws IOException {
        EchoServers.Spec spec = EchoServers.all(benchJar, weftJar).get("weft-" + backend + "-streams");
        if (spec == null) {
            throw new IllegalArgumentException("no Weft echo server for the backend '" + backend + "'");
        }
        List<String> jvmFlags = new ArrayList<>(EchoServers.COMMON_JVM_FLAGS);
        jvmFlags.addAll(METRICS_ON);
        try (ServerProcess server = ServerProcess.start(spec.name(), spec.command(jvmFlags, port), core, port);
             JmxProbe probe = JmxProbe.attach(server.pid())) {
            Footprint[] edges = new Footprint[2];
            EchoLoad.Result load = EchoLoad.run(new InetSocketAddress("127.0.0.1", port), connections, size, warmup,
                    measured, new EchoLoad.Window() {
                        @Override
                        public void opened() throws IOException {
                            edges[0] = probe.footprint();
                        }

                        @Override
                        public void closed() throws IOException {
                            edges[1] = probe.footprint();
                        }
                    });
            return new SoakRow("echo " + backend + ", " + connections + " connections", load.requestsPerSecond(),
                    load.p50Micros(), load.p99Micros(), load.p999Micros(), edges[0], edges[1]);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
