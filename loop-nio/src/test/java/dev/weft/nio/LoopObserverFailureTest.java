package dev.weft.nio;

import dev.weft.loop.Loops;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A loop observer that cannot link (its library missing) is logged; the loop runs and closes all the same. */
@Timeout(10)
class LoopObserverFailureTest {

    @Test
    void anObserverThatFailsToLinkNeitherStopsTheLoopNorItsClose() {
        NioEventLoop loop = new NioEventLoop();
        FailingLoopObserver.target = loop;
        try {
            assertEquals(42, Loops.run(() -> loop, () -> 42));
            assertTrue(loop.isClosed(), "closed");
        } finally {
            FailingLoopObserver.target = null;
        }
    }
}
