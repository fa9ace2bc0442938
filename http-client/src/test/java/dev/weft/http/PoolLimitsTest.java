package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PoolLimits}: defaults, copies and refused values. No loop needed. */
class PoolLimitsTest {

    @Test
    void defaults() {
        assertEquals(new PoolLimits(100, 0, 1000, Duration.ofSeconds(30), Duration.ofSeconds(15)),
                PoolLimits.DEFAULTS);
    }

    @Test
    void withersChangeOneLimit() {
        PoolLimits l = PoolLimits.DEFAULTS.withTotal(5).withPerHost(2).withMaxWaiting(0)
                .withWaitTimeout(ChronoUnit.FOREVER.getDuration()).withKeepAlive(Duration.ZERO);
        assertEquals(new PoolLimits(5, 2, 0, ChronoUnit.FOREVER.getDuration(), Duration.ZERO), l);
    }

    @Test
    void badLimitsAreRefusedNamingTheLimit() {
        var d = PoolLimits.DEFAULTS;
        assertMessage("PoolLimits.total", assertThrows(IllegalArgumentException.class, () -> d.withTotal(0)));
        assertMessage("PoolLimits.perHost", assertThrows(IllegalArgumentException.class, () -> d.withPerHost(-1)));
        assertMessage("PoolLimits.maxWaiting",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxWaiting(-1)));
        assertMessage("set maxWaiting to 0",
                assertThrows(IllegalArgumentException.class, () -> d.withWaitTimeout(Duration.ZERO)));
        assertMessage("PoolLimits.keepAlive",
                assertThrows(IllegalArgumentException.class, () -> d.withKeepAlive(Duration.ofSeconds(-1))));
    }

    private static void assertMessage(String part, IllegalArgumentException e) {
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
