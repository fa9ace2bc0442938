package dev.weft.http;

import dev.weft.http.peers.RawServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 part 5: reading a 1 GiB body chunk by chunk holds no more than a few buffers. A raw server generates the
 * body (64 KiB blocks of random bytes, each numbered, so order and loss show in the checksum) and the client reads it
 * in a JVM of its own with a 16 MiB heap ({@link BoundedHeapClient}): holding the body, or any growing part of it,
 * would be an {@code OutOfMemoryError}. The bytes are checked by CRC-32 against what the server wrote. About 4 s per
 * backend here, so it runs on all four in every build.
 */
@Timeout(120)
class BoundedHeapTest {
    private static final long BODY = 1L << 30;
    private static final int BLOCK = 64 * 1024;
    private static final String HEAP = "-Xmx16m";
    private static final Duration CLIENT_LIMIT = Duration.ofSeconds(90);

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGibibyteBodyIsReadInABoundedHeap(String backend) throws Exception {
        AtomicLong sentCrc = new AtomicLong(-1);
        try (RawServer server = RawServer.start(c -> {
            c.readRequest().write("HTTP/1.1 200 OK\r\nContent-Length: " + BODY + "\r\nConnection: close\r\n\r\n");
            sentCrc.set(writeBody(c.output()));
            c.close();
        })) {
            Path log = Files.createTempFile("bounded-heap-client", ".log");
            try {
                Process client = new ProcessBuilder(java(), HEAP, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                        BoundedHeapClient.class.getName(), backend, server.baseUrl() + "/gibibyte")
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!client.waitFor(CLIENT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                    client.destroyForcibly().waitFor();
                    throw new AssertionError("the client took more than " + CLIENT_LIMIT + ":\n" + tail(log));
                }
                String output = tail(log);
                assertEquals(0, client.exitValue(), "the client failed in " + HEAP + ":\n" + output);
                server.awaitScripts(1, Duration.ofSeconds(10));
                assertEquals(List.of(), server.scriptErrors());
                String result = output.lines().filter(l -> l.startsWith("bytes=")).findFirst()
                        .orElseThrow(() -> new AssertionError("no result from the client:\n" + output));
                assertTrue(result.startsWith("bytes=" + BODY + " crc=" + Long.toHexString(sentCrc.get()) + " "),
                        result + " (the server sent crc=" + Long.toHexString(sentCrc.get()) + ")");
                System.out.println(backend + ": " + result);
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }

    /** Writes the body and returns its CRC-32: numbered blocks of one random block, so none repeats another. */
    private static long writeBody(OutputStream out) throws IOException {
        byte[] block = new byte[BLOCK];
        new Random(13).nextBytes(block);
        CRC32 crc = new CRC32();
        for (long i = 0; i < BODY / BLOCK; i++) {
            for (int b = 0; b < 8; b++) {
                block[b] = (byte) (i >>> (8 * b));
            }
            crc.update(block);
            out.write(block);
        }
        out.flush();
        return crc.getValue();
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the test JVM's own java command is unknown"));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
