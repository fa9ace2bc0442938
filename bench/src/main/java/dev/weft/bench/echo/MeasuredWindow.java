package dev.weft.bench.echo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The measured window of one server: CPU times read at its exact edges, and a warm-up that lasts until the JIT has gone
 * quiet. A warm-up by time alone is unfair to the server with more code: raw Netty's pipeline, allocator and outbound
 * buffer kept C2 busy for seconds after a 3 s warm-up on a loaded machine, and that compile time was charged to its
 * requests (about 3 µs of its ~14 µs per request, against 0.5 µs for Weft's smaller echo path).
 *
 * <p>Besides the server's own CPU time it reads two things that say whether a row can be trusted: the load generator's
 * CPU time (near a whole core, the generator set the pace) and the time the server's core spent on anything but the
 * server (other processes competing for it).
 */
final class MeasuredWindow implements EchoLoad.Window {

    /** CPU microseconds over the window. */
    record Cpu(long server, long jit, long loadGenerator, long othersOnServerCore) {
        static final Cpu NONE = new Cpu(0, 0, 0, 0);
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final ServerProcess server;
    private final int core;
    private long lastCompiler = -1;
    private long[] atOpen;
    private Cpu cpu = Cpu.NONE;

    MeasuredWindow(ServerProcess server, int core) {
        this.server = server;
        this.core = core;
    }

    /** Warm when the compiler threads used no CPU since the last check (one clock tick is the resolution). */
    @Override
    public boolean warm() throws IOException {
        long compiler = server.compilerMicros();
        boolean quiet = compiler == lastCompiler;
        lastCompiler = compiler;
        return quiet;
    }

    @Override
    public void opened() throws IOException {
        atOpen = sample();
    }

    @Override
    public void closed() throws IOException {
        long[] atClose = sample();
        long serverCpu = atClose[0] - atOpen[0];
        cpu = new Cpu(serverCpu,
                Math.max(0, atClose[1] - atOpen[1]), // an idle compiler thread may retire meanwhile
                atClose[2] - atOpen[2],
                Math.max(0, atClose[3] - atOpen[3] - serverCpu));
    }

    Cpu cpu() {
        return cpu;
    }

    private long[] sample() throws IOException {
        return new long[] {server.cpuMicros(), server.compilerMicros(), OS.getProcessCpuTime() / 1000, coreBusyMicros()};
    }

    /** Everything but idle and iowait on the server's core, from the cpuN line of /proc/stat (0 if unreadable). */
    private long coreBusyMicros() throws IOException {
        String prefix = "cpu" + core + " ";
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith(prefix)) {
                String[] f = line.trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += Long.parseLong(f[i]);
                    }
                }
                return ServerProcess.ticksToMicros(busy);
            }
        }
        return 0;
    }
}
