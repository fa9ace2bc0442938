package dev.weft.loop;

import java.util.Arrays;
import java.util.List;

/**
 * Stacks as debug mode shows them: the user's frames, not Weft's or the JDK's. A frame is Weft's when its class is in
 * one of the framework's packages (the loop API, the backends, the HTTP client); code in other {@code dev.weft}
 * packages (the samples, the test kit) is the user's.
 */
final class StackFrames {
    private static final List<String> FRAMEWORK = List.of("dev.weft.loop.", "dev.weft.scope.", "dev.weft.sync.",
            "dev.weft.net.", "dev.weft.stream.", "dev.weft.channel.", "dev.weft.supervise.", "dev.weft.http.",
            "dev.weft.nio.", "dev.weft.netty.", "dev.weft.epoll.", "dev.weft.iouring.", "dev.weft.vthreads.");
    private static final int CREATION_DEPTH = 8;
    private static final int BLOCKED_DEPTH = 24;

    private StackFrames() {
    }

    /**
     * The stack here, unresolved: what {@link #creationSite(Throwable)} reads when a warning needs it. Only the JVM's
     * native backtrace is filled in (about half a microsecond); turning it into frames costs several times more, and
     * most of what debug mode captures is never shown.
     */
    static Throwable capture() {
        return new Throwable("created here");
    }

    /**
     * Where the user's code was when this was captured: a few frames from the first user frame down. Only frames above
     * the step the loop is running count, since the code below it (whoever called {@code Loops.run}) did not make the
     * thing; if none is the user's (a connection accepted by the loop), the frames from the first one that is not
     * debug mode's.
     */
    static StackTraceElement[] creationSite(Throwable captured) {
        StackTraceElement[] stack = captured.getStackTrace();
        int step = 0;
        while (step < stack.length && !isStepBoundary(stack[step])) {
            step++;
        }
        int first = 0;
        while (first < step && !isUser(stack[first].getClassName())) {
            first++;
        }
        if (first == step) {
            first = 0;
            while (first < step - 1 && isDebugMachinery(stack[first])) {
                first++;
            }
        }
        return Arrays.copyOfRange(stack, first, Math.min(step, first + CREATION_DEPTH));
    }

    /**
     * What holds a loop: from the innermost frame (the blocking call, a JDK one often) to the user's frames that led
     * to it, without the Weft frames below them that run the step.
     */
    static StackTraceElement[] blockedAt(StackTraceElement[] stack) {
        int user = 0;
        while (user < stack.length && !isUser(stack[user].getClassName())) {
            user++;
        }
        int end = user;
        while (end < stack.length && !isFramework(stack[end].getClassName())) {
            end++;
        }
        if (user == stack.length) {
            end = stack.length; // no user frame: Weft itself holds the loop, show where
        }
        return Arrays.copyOf(stack, Math.min(end, BLOCKED_DEPTH));
    }

    /** The frames, one per line, each as "\n\tat frame". */
    static String format(StackTraceElement[] frames) {
        StringBuilder text = new StringBuilder();
        for (StackTraceElement frame : frames) {
            text.append("\n\tat ").append(frame);
        }
        return text.toString();
    }

    /**
     * Where the loop runs a step ({@code runStep}) or dispatches I/O ({@code runOnce}): frames below it belong to the
     * loop's runner, not to the code that made the thing.
     */
    private static boolean isStepBoundary(StackTraceElement frame) {
        String method = frame.getMethodName();
        return (method.equals("runStep") || method.equals("runOnce"))
                && frame.getClassName().equals(AbstractEventLoop.class.getName());
    }

    /** The frames of debug mode itself and of the constructors and factories that call it. */
    private static boolean isDebugMachinery(StackTraceElement frame) {
        String cls = frame.getClassName();
        String method = frame.getMethodName();
        return cls.equals(StackFrames.class.getName()) || cls.equals(LoopDebug.class.getName())
                || cls.equals(LeakWatch.class.getName()) || method.equals("<init>") || method.equals("traced")
                || method.equals("createTask");
    }

    private static boolean isUser(String cls) {
        return !isFramework(cls) && !cls.startsWith("java.") && !cls.startsWith("jdk.") && !cls.startsWith("sun.")
                && !cls.startsWith("com.sun.") && !cls.startsWith("io.netty.");
    }

    private static boolean isFramework(String cls) {
        for (String prefix : FRAMEWORK) {
            if (cls.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
