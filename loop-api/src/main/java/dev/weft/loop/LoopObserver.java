package dev.weft.loop;

/**
 * Told when a loop starts its first run and when it closes: the hook of monitoring tools (the {@code loop-metrics}
 * module registers each loop's MBean through it). Implementations are found by {@link java.util.ServiceLoader} once,
 * when the first loop runs; each decides for itself whether it is switched on (a system property, say).
 *
 * <p>{@link #loopStarted} is called on the loop's thread before its first callback runs; {@link #loopClosed} on the
 * thread that closes it, once its tasks have ended and before its backend is released. They must be quick and must
 * not throw; what one throws (an exception, or a LinkageError such as a missing library's) is logged and the loop goes
 * on.
 */
public interface LoopObserver {

    /** The loop is about to run for the first time. */
    void loopStarted(EventLoop loop);

    /**
     * The loop is closing: its tasks have ended; it runs nothing more, and {@link EventLoop#isClosed()} is already
     * true. Told of every loop, also one that never ran (a tool may have registered it by hand).
     */
    void loopClosed(EventLoop loop);
}
