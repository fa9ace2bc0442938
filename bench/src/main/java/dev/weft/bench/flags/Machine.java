package dev.weft.bench.flags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a report was measured on, in one line: CPU, cores, kernel, JDK. */
final class Machine {
    private Machine() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (IOException e) {
            // not Linux: say so below
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", JDK " + System.getProperty("java.runtime.version");
    }
}
