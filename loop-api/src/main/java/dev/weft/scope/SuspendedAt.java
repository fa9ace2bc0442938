package dev.weft.scope;

import dev.weft.dump.Frame;

/**
 * Where a task is suspended, in words, from its stack: the Weft call it awaits in and the code that called it, as in
 * "awaiting in AsyncQueue.get(AsyncQueue.java:88), called from Worker.run(Worker.java:42)". For messages that must
 * say what a task was doing: a timeout that expired, a child that ignores its cancellation.
 */
final class SuspendedAt {
    private SuspendedAt() {
    }

    /**
     * Under every await lies a run of Weft's own frames (the task machinery, then the call the program made, such as
     * {@code AsyncQueue.get}); the outermost of them is what was awaited, and the first frame after the run, the
     * program's code that called it. The JDK's frames are passed over wherever they are. Which frames are whose is
     * {@link Frame}'s rule, the one task dumps use.
     */
    static String describe(StackTraceElement[] frames) {
        StackTraceElement awaitedIn = null;
        for (StackTraceElement frame : frames) {
            if (Frame.isJdk(frame)) {
                continue;
            }
            if (Frame.isWeft(frame)) {
                awaitedIn = frame;
            } else if (awaitedIn != null) {
                return "awaiting in " + format(awaitedIn) + ", called from " + format(frame);
            } else {
                return "running in " + format(frame); // not in an await: it has the loop, or waits outside Weft
            }
        }
        return awaitedIn == null ? "not suspended in an await" : "awaiting in " + format(awaitedIn);
    }

    private static String format(StackTraceElement frame) {
        return Frame.of(frame).shortForm();
    }
}
