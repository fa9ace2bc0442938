package dev.weft.dump;

import java.util.List;

/**
 * One frame of a task's stack, as a dump shows it.
 *
 * @param className  the frame's class, fully qualified
 * @param method     its method
 * @param file       its source file, or null if unknown
 * @param line       its line, or a negative number if unknown
 */
public record Frame(String className, String method, String file, int line) {
    /**
     * Weft's library packages: their frames are the machinery under an await, not the program's code. Its testkit,
     * samples and benchmarks are programs like any other.
     */
    private static final List<String> LIBRARY = List.of("dev.weft.loop.", "dev.weft.scope.", "dev.weft.sync.",
            "dev.weft.net.", "dev.weft.nio.", "dev.weft.netty.", "dev.weft.epoll.", "dev.weft.iouring.",
            "dev.weft.vthreads.", "dev.weft.http.", "dev.weft.channel.", "dev.weft.stream.", "dev.weft.supervise.",
            "dev.weft.dump.");

    /** The frame of a stack trace element. */
    public static Frame of(StackTraceElement element) {
        return new Frame(element.getClassName(), element.getMethodName(), element.getFileName(),
                element.getLineNumber());
    }

    /** Whether the frame is the JDK's: passed over wherever it is. */
    public static boolean isJdk(StackTraceElement element) {
        String name = element.getClassName();
        return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.");
    }

    /** Whether the frame is Weft's library code (not its testkit, samples or benchmarks). */
    public static boolean isWeft(StackTraceElement element) {
        String name = element.getClassName();
        for (String library : LIBRARY) {
            if (name.startsWith(library)) {
                return true;
            }
        }
        return false;
    }

    /** Short form, the simple class name: {@code AsyncQueue.get(AsyncQueue.java:88)}. */
    public String shortForm() {
        return className.substring(className.lastIndexOf('.') + 1) + "." + method + "(" + where() + ")";
    }

    /** As a stack trace prints it: {@code dev.weft.sync.AsyncQueue.get(AsyncQueue.java:88)}. */
    @Override
    public String toString() {
        return className + "." + method + "(" + where() + ")";
    }

    private String where() {
        return file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
    }
}
