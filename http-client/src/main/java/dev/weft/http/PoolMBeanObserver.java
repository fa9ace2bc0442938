package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopObserver;

/**
 * Takes the pool MBeans of a loop's sessions out of JMX when the loop closes, for the sessions never closed. Found by
 * {@link java.util.ServiceLoader}; not for direct use.
 */
public final class PoolMBeanObserver implements LoopObserver {

    /** Made by the ServiceLoader. */
    public PoolMBeanObserver() {
    }

    @Override
    public void loopStarted(EventLoop loop) {
    }

    @Override
    public void loopClosed(EventLoop loop) {
        HttpPoolMBean.loopClosed(loop);
    }
}
