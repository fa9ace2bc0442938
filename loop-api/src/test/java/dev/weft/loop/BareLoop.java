package dev.weft.loop;

import java.util.concurrent.locks.LockSupport;

/** A loop with no I/O, for tests of what every loop does: its poll parks until woken or timed out. */
class BareLoop extends AbstractEventLoop {
    private volatile Thread poller;

    BareLoop(String backend) {
        this(backend, TaskMode.BATON);
    }

    BareLoop(String backend, TaskMode taskMode) {
        super(backend, taskMode);
    }

    @Override
    protected void poll(long timeoutNanos) {
        if (timeoutNanos == 0) {
            return;
        }
        poller = Thread.currentThread();
        if (timeoutNanos < 0) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
        poller = null;
    }

    @Override
    protected void wakeup() {
        Thread waiting = poller;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        }
    }

    @Override
    protected void closeBackend() {
    }
}
