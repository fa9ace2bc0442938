package dev.weft.scope;

/**
 * Where a task is suspended, in words, from its stack: the Weft call it awaits in and the code that called it, as in
 * "awaiting in AsyncQueue.get(AsyncQueue.java:88), called from Worker.run(Worker.java:42)". For messages that must
 * say what a task was doing: a timeout that expired, a child that ignores its cancellation.
 */
final class SuspendedAt {
    private SuspendedAt() {
    }

    static String describe(StackTraceElement[] frames) {
        StackTraceElement awaitedIn = null;
        for (StackTraceElement frame : frames) {
            if (isMachinery(frame.getClassName())) {
                continue;
            }
            if (awaitedIn == null) {
                awaitedIn = frame;
            } else if (!packageOf(frame.getClassName()).equals(packageOf(awaitedIn.getClassName()))) {
                return "awaiting in " + format(awaitedIn) + ", called from " + format(frame);
            }
        }
        return awaitedIn == null ? "not suspended in an await" : "awaiting in " + format(awaitedIn);
    }

    /** The JDK and the task machinery under every await: never what the reader wants to see. */
    private static boolean isMachinery(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("dev.weft.loop.");
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static String format(StackTraceElement frame) {
        String className = frame.getClassName();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        String file = frame.getFileName();
        String where = file == null ? "unknown source" : file + ":" + frame.getLineNumber();
        return simple + "." + frame.getMethodName() + "(" + where + ")";
    }
}
