package dev.weft.testkit;

import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A large body read in one call ({@code readAll}, {@code readExactly}: an HTTP body of known length) costs a few copies
 * of itself, whatever the transport's read size: the reader does not trim and pause its buffer on every delivery while
 * the read waits for more than the limit (that copied the whole body again each time, quadratic in its size).
 */
public abstract class LargeReadSuite extends LoopSuite {
    private static final int BODY = 32 * 1024 * 1024;
    /** Doubling the buffer copies the body about twice, and the result is one more; the rest is the transport's. */
    private static final long MOST_ALLOCATED = 8L * BODY;

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    @Test
    void readingALargeBodyWithReadAllOrReadExactlyCostsAFewCopiesOfIt() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'x');
        try (ServerSocket sender = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOCALHOST))) {
            int port = sender.getLocalPort();
            ForeignThread<Void> sending = onForeignThread(() -> {
                for (int i = 0; i < 2; i++) { // once for readExactly, once for readAll
                    try (Socket peer = sender.accept(); OutputStream out = peer.getOutputStream()) {
                        out.write(body);
                    }
                }
                return null;
            });
            long[] allocated = run(() -> {
                long[] each = new long[2];
                for (int i = 0; i < 2; i++) {
                    long before = threads.getTotalThreadAllocatedBytes();
                    try (StreamConnection connection = Streams.openConnection(LOCALHOST, port)) {
                        byte[] read = i == 0 ? connection.reader().readExactly(BODY) : connection.reader().readAll();
                        each[i] = threads.getTotalThreadAllocatedBytes() - before;
                        assertArrayEquals(body, read, "the body arrives intact");
                    }
                }
                return each;
            });
            for (int i = 0; i < 2; i++) {
                assertTrue(allocated[i] < MOST_ALLOCATED, (i == 0 ? "readExactly" : "readAll") + " of "
                        + BODY / (1 << 20) + " MiB allocated " + allocated[i] / (1 << 20)
                        + " MiB: the body was copied over and over");
            }
            sending.result().join();
        }
    }
}
