package dev.weft.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which loops a task dump of the process lists: those that have run and are not closed, never a half-built one. */
@Timeout(30)
class LiveLoopsTest {
    /** A loop with no I/O: its poll parks until woken or timed out. */
    private static class BareLoop extends AbstractEventLoop {
        private volatile Thread poller;

        BareLoop(String backend) {
            super(backend, TaskMode.BATON);
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

    /** A backend whose own part of the constructor fails (a selector not opened: too many open files, say). */
    private static final class HalfBuilt extends BareLoop {
        static AbstractEventLoop kept; // as if the garbage collector had not run yet

        HalfBuilt() {
            super("half-built");
            kept = this;
            throw new IllegalStateException("cannot open the backend");
        }
    }

    private static long listed(String backend) {
        return Loops.dump().loops().stream().filter(loop -> loop.backend().equals(backend)).count();
    }

    @Test
    void aLoopWhoseConstructorFailedIsInNoDump() {
        assertThrows(IllegalStateException.class, HalfBuilt::new);
        assertEquals(0, listed("half-built"), Loops.dump().toText());
    }

    @Test
    void aLoopIsListedOnceItRunsAndNoLongerOnceClosed() {
        BareLoop loop = new BareLoop("bare");
        assertEquals(1L, loop.runUntilComplete(loop.createTask("count", () -> listed("bare"))),
                "a running loop is listed");
        assertEquals(1, listed("bare"), "and one that ran, while it is open");
        loop.close();
        assertEquals(0, listed("bare"), "a closed one is not");
        assertTrue(Loops.dump(loop).loops().isEmpty());
    }
}
