package dev.weft.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check the native backends' suites run under can fail: a buffer dropped unreleased is reported. */
class NettyLeakCheckTest {

    @Test
    @Timeout(30)
    void aBufferDroppedWithoutReleaseIsReported() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        List<String> reports = List.of();
        for (int attempt = 0; attempt < 50 && reports.isEmpty(); attempt++) { // the collector decides when
            leakOneBuffer();
            reports = NettyLeakCheck.collectReports();
        }
        assertTrue(reports.stream().anyMatch(report -> report.contains("LEAK")), "no leak was reported");
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.directBuffer(16).writeInt(42); // never released
    }
}
