package dev.weft.scope;

import java.util.List;

/**
 * Where a task is suspended, in words, from its stack: the Weft call it awaits in and the code that called it, as in
 * "awaiting in AsyncQueue.get(AsyncQueue.java:88), called from Worker.run(Worker.java:42)". For messages that must
 * say what a task was doing: a timeout that expired, a child that ignores its cancellation.
 */
final class SuspendedAt {
    /** Weft's library packages; its testkit, samples and benchmarks are programs like any other. */
    private static final List<String> LIBRARY = List.of("dev.weft.loop.", "dev.weft.scope.", "dev.weft.sync.",
            "dev.weft.net.", "dev.weft.nio.", "dev.weft.netty.", "dev.weft.epoll.", "dev.weft.iouring.",
            "dev.weft.vthreads.", "dev.weft.http.");

    private SuspendedAt() {
    }

    /**
     * Under every await lies a run of Weft's own frames (the task machinery, then the call the program made, such as
     * {@code AsyncQueue.get}); the outermost of them is what was awaited, and the first frame after the run, the
     * program's code that called it. The JDK's frames are passed over wherever they are.
     */
    static String describe(StackTraceElement[] frames) {
        StackTraceElement awaitedIn = null;
        for (StackTraceElement frame : frames) {
            String className = frame.getClassName();
            if (isJdk(className)) {
                continue;
            }
            if (isWeft(className)) {
                awaitedIn = frame;
            } else if (awaitedIn != null) {
                return "awaiting in " + format(awaitedIn) + ", called from " + format(frame);
            } else {
                return "running in " + format(frame); // not in an await: it has the loop, or waits outside Weft
            }
        }
        return awaitedIn == null ? "not suspended in an await" : "awaiting in " + format(awaitedIn);
    }

    private static boolean isJdk(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.");
    }

    private static boolean isWeft(String className) {
        for (String library : LIBRARY) {
            if (className.startsWith(library)) {
                return true;
            }
        }
        return false;
    }

    private static String format(StackTraceElement frame) {
        String className = frame.getClassName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String file = frame.getFileName();
        String where = file == null ? "unknown source" : file + ":" + frame.getLineNumber();
        return simple + "." + frame.getMethodName() + "(" + where + ")";
    }
}
