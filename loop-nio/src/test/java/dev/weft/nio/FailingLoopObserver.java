package dev.weft.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopObserver;

/**
 * A loop observer that fails to link, as one whose library is missing from the class path does, for the one loop a
 * test points it at; installed for loop-nio's tests through {@code META-INF/services}.
 */
public final class FailingLoopObserver implements LoopObserver {
    static volatile EventLoop target;

    /** Made by the ServiceLoader. */
    public FailingLoopObserver() {
    }

    @Override
    public void loopStarted(EventLoop loop) {
        failFor(loop);
    }

    @Override
    public void loopClosed(EventLoop loop) {
        failFor(loop);
    }

    private static void failFor(EventLoop loop) {
        if (loop == target) {
            throw new NoClassDefFoundError("org/HdrHistogram/Histogram");
        }
    }
}
