package dev.weft.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a process holds at one moment, the figures a soak compares at its start and its end: resident memory and open
 * file descriptors from {@code /proc/PID}, heap in use after a full collection, and tasks alive on its loops (-1 when
 * the process could not be asked).
 */
record Footprint(long rssKiB, long heapBytes, long fds, long tasks) {

    /** The RSS (VmRSS) and open descriptors of a process, from /proc; heap and tasks as given. */
    static Footprint of(long pid, long heapBytes, long tasks) throws IOException {
        return new Footprint(rssKiB(pid), heapBytes, fds(pid), tasks);
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    private static long fds(long pid) throws IOException {
        try (Stream<Path> open = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return open.count();
        }
    }

    /** One cell per figure, for a Markdown row: {@code 84.2 MiB | 12.1 MiB | 10016 | 10001}. */
    String cells() {
        return String.format(Locale.ROOT, "%.1f MiB | %.1f MiB | %d | %s", rssKiB / 1024.0, heapBytes / 1048576.0, fds,
                tasks < 0 ? "n/a" : String.valueOf(tasks));
    }
}
