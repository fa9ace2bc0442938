package dev.weft.testkit;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/**
 * The live heap, in bytes, for tests that bound memory: a class histogram, as {@code jcmd GC.class_histogram} takes
 * it, runs a full GC first and counts every object left, so garbage and the collector's timing do not enter.
 */
public final class LiveHeap {
    private LiveHeap() {
    }

    public static long bytes() {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("this JVM takes no class histogram (jcmd's GC.class_histogram)", e);
        }
        String[] lines = histogram.strip().split("\n");
        String[] total = lines[lines.length - 1].trim().split("\\s+"); // "Total <instances> <bytes>"
        if (!total[0].equals("Total")) {
            throw new IllegalStateException("unexpected class histogram ending: " + lines[lines.length - 1]);
        }
        return Long.parseLong(total[2]);
    }
}
