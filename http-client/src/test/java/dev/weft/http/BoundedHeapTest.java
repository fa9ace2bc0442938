package dev.weft.http;

import dev.weft.http.peers.RawServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13 part 5: reading a 1 GiB body chunk by chunk holds no more than a few buffers. A raw server sends the body
 * and the client reads it with {@link HttpResponse#readChunk()} in a JVM of its own with a 16 MiB heap
 * ({@link BoundedHeapClient}): holding the body, or any growing part of it, would be an {@code OutOfMemoryError}. The
 * bytes are checked by CRC-32 against what the server sent. About 4 s per backend and case here, so both cases run
 * on all four backends in every build.
 */
@Timeout(120)
class BoundedHeapTest {
    private static final long BODY = 1L << 30;
    private static final int BLOCK = 64 * 1024;
    private static final String HEAP = "-Xmx16m";
    private static final Duration CLIENT_LIMIT = Duration.ofSeconds(90);

    private static byte[] gzippedZeros; // 1 GiB of zeros in about 1 MiB, made once

    /** 64 KiB blocks of random bytes, each numbered, so a lost, repeated or reordered block changes the checksum. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGibibyteBodyIsReadInABoundedHeap(String backend) throws Exception {
        AtomicLong sentCrc = new AtomicLong(-1);
        try (RawServer server = RawServer.start(c -> {
            c.readRequest().write("HTTP/1.1 200 OK\r\nContent-Length: " + BODY + "\r\nConnection: close\r\n\r\n");
            sentCrc.set(writeNumberedBlocks(c.output()));
            c.close();
        })) {
            String result = runClient(backend, server.baseUrl() + "/gibibyte", "guarded");
            server.awaitScripts(1, Duration.ofSeconds(10));
            assertEquals(List.of(), server.scriptErrors());
            assertTrue(result.startsWith("bytes=" + BODY + " crc=" + Long.toHexString(sentCrc.get()) + " "),
                    result + " (the server sent crc=" + Long.toHexString(sentCrc.get()) + ")");
        }
    }

    /**
     * With the decompression guards off, a gzip body that inflates a thousandfold still comes out a bounded piece at
     * a time: one 64 KiB read of it would be 64 MiB at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void aGibibyteGzipBombIsReadInABoundedHeapWithTheGuardsOff(String backend) throws Exception {
        byte[] gzip = gzippedZeros();
        // The gzip trailer: the CRC-32 of the data, then its length mod 2^32, little-endian (RFC 1952 §2.3.1).
        ByteBuffer trailer = ByteBuffer.wrap(gzip, gzip.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
        long crc = trailer.getInt() & 0xffffffffL;
        try (RawServer server = RawServer.start(c -> c.readRequest().write("HTTP/1.1 200 OK\r\nContent-Encoding: "
                + "gzip\r\nContent-Length: " + gzip.length + "\r\nConnection: close\r\n\r\n").write(gzip).close())) {
            String result = runClient(backend, server.baseUrl() + "/bomb", "unguarded");
            assertTrue(result.startsWith("bytes=" + BODY + " crc=" + Long.toHexString(crc) + " "), result);
        }
    }

    /** Runs the client in a JVM with a small heap; its result line. */
    private static String runClient(String backend, String url, String mode) throws Exception {
        Path log = Files.createTempFile("bounded-heap-client", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(java(), HEAP, "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), BoundedHeapClient.class.getName(), backend, url,
                    mode));
            Process client = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!client.waitFor(CLIENT_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly().waitFor();
                throw new AssertionError("the client took more than " + CLIENT_LIMIT + ":\n" + tail(log));
            }
            String output = tail(log);
            assertEquals(0, client.exitValue(), "the client failed in " + HEAP + ":\n" + output);
            String result = output.lines().filter(l -> l.startsWith("bytes=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no result from the client:\n" + output));
            System.out.println(backend + " " + mode + ": " + result);
            return result;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static long writeNumberedBlocks(OutputStream out) throws IOException {
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

    private static synchronized byte[] gzippedZeros() throws IOException {
        if (gzippedZeros == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(bytes, BLOCK)) {
                byte[] zeros = new byte[BLOCK];
                for (long i = 0; i < BODY / BLOCK; i++) {
                    out.write(zeros);
                }
            }
            gzippedZeros = bytes.toByteArray();
        }
        return gzippedZeros;
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
