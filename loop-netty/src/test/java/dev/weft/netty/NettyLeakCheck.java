package dev.weft.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Runs a test class with Netty's leak detector at its paranoid level (every buffer tracked) and fails the class if
 * Netty reported a buffer collected without being released. Netty reports a leak when it next tracks a buffer after
 * the garbage collector found the leaked one, so at the end the check collects garbage and allocates until the
 * reference queue has been seen: a leak can go unseen (the collector decides), but a report is never invented.
 */
public final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final Logger NETTY_LEAKS = Logger.getLogger(ResourceLeakDetector.class.getName());
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static final Handler RECORDER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (message != null && message.contains("LEAK")) {
                REPORTS.add(message + (record.getParameters() == null ? "" : " " + List.of(record.getParameters())));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    static {
        NETTY_LEAKS.addHandler(RECORDER);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collectReports();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty buffer(s) were never released:\n" + String.join("\n", leaks));
        }
    }

    /** Collect garbage a few times, tracking a buffer after each, and return (and forget) what Netty reported. */
    static List<String> collectReports() {
        for (int round = 0; round < 5; round++) {
            System.gc();
            ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1); // tracking a buffer polls the reference queue
            probe.release();
        }
        List<String> leaks = List.copyOf(REPORTS);
        REPORTS.clear();
        return leaks;
    }
}
