package dev.weft.metrics;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopObserver;

/**
 * Registers every loop when it first runs if {@code -Dweft.metrics=true}, and removes any loop's MBean when it closes.
 * Found by {@link java.util.ServiceLoader}; not for direct use.
 */
public final class MetricsObserver implements LoopObserver {
    private final boolean enabled = Metrics.enabledByProperty();

    /** Made by the ServiceLoader. */
    public MetricsObserver() {
    }

    @Override
    public void loopStarted(EventLoop loop) {
        if (enabled) {
            Metrics.register(loop);
        }
    }

    @Override
    public void loopClosed(EventLoop loop) {
        Metrics.unregister(loop);
    }
}
