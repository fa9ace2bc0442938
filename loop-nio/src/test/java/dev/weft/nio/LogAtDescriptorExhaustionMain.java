package dev.weft.nio;

import dev.weft.loop.Loops;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link LogAtDescriptorExhaustionTest} in a JVM of its own under a low {@code ulimit -n}: a task on a nio loop
 * uses up every file descriptor before the JVM's first log record, logs, gives the descriptors back and logs again —
 * what a server does when its first record is an accept failing with EMFILE.
 */
public final class LogAtDescriptorExhaustionMain {
    public static void main(String[] args) throws Exception {
        System.Logger log = System.getLogger("dev.weft.loop");
        Loops.run(() -> {
            List<FileInputStream> held = new ArrayList<>();
            String why = exhaust(held);
            System.out.println("exhausted after " + held.size() + " descriptors: " + why);
            log.log(Level.WARNING, "first record, out of file descriptors",
                    new IOException("accept failed: Too many open files"));
            for (FileInputStream in : held) {
                in.close();
            }
            log.log(Level.WARNING, "second record, descriptors back");
            return null;
        });
        System.out.println("done");
    }

    /** Open /dev/null until the process has no descriptor left; returns the failure that says so. */
    private static String exhaust(List<FileInputStream> held) {
        for (int i = 0; i < 100_000; i++) {
            try {
                held.add(new FileInputStream("/dev/null"));
            } catch (IOException e) {
                return e.getMessage();
            }
        }
        return "never ran out (is ulimit -n in force?)";
    }
}
