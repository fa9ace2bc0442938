package dev.weft.testkit;

import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Sending a file: its bytes arrive whole, in their place between what was written before and after, and the count
 * says how many were sent. On TLS, which cannot hand a file to the kernel, {@code TlsSuite} covers the fallback.
 */
public abstract class SendFileSuite extends LoopSuite {
    private static final String LOCALHOST = "127.0.0.1";

    @TempDir
    Path dir;

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, "sending files needs a loop with networking (NetworkLoop)");
    }

    private byte[] sendAndEcho(byte[] head, Path file, long position, long count, byte[] tail, long[] sentOut) {
        return run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port());
                 FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                Task<Void> writing = Tasks.spawn(() -> {
                    c.writer().write(head);
                    sentOut[0] = c.writer().sendFile(channel, position, count);
                    c.writer().write(tail);
                    c.writer().writeEof();
                    return null;
                });
                ByteArrayOutputStream back = new ByteArrayOutputStream();
                byte[] chunk;
                while ((chunk = c.reader().read(1 << 16)).length > 0) {
                    back.writeBytes(chunk);
                }
                writing.await();
                return back.toByteArray();
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
    }

    @Test
    void aFileArrivesWholeBetweenTheWritesAroundIt() throws Exception {
        byte[] content = randomBytes(3 << 20, 7);
        Path file = Files.write(dir.resolve("three-mib.bin"), content);
        long[] sent = new long[1];
        byte[] echoed = sendAndEcho(ascii("head:"), file, 0, content.length, ascii(":tail"), sent);
        assertEquals(content.length, sent[0]);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(ascii("head:"));
        expected.writeBytes(content);
        expected.writeBytes(ascii(":tail"));
        assertArrayEquals(expected.toByteArray(), echoed);
    }

    @Test
    void aRangePastTheEndSendsWhatTheFileHas() throws Exception {
        byte[] content = randomBytes(100_000, 11);
        Path file = Files.write(dir.resolve("short.bin"), content);
        long[] sent = new long[1];
        byte[] echoed = sendAndEcho(new byte[0], file, 40_000, 1_000_000, new byte[0], sent);
        assertEquals(60_000, sent[0]);
        assertArrayEquals(Arrays.copyOfRange(content, 40_000, 100_000), echoed);
    }
}
