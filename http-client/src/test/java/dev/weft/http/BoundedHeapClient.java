package dev.weft.http;

import dev.weft.loop.Loops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.zip.CRC32;

/**
 * The client side of {@link BoundedHeapTest}, run in a JVM of its own with a small heap: GETs one URL on one backend,
 * reads the body with {@link HttpResponse#readChunk()} and prints what it read, as {@code bytes=<n> crc=<crc32>
 * peakHeap=<bytes>}. A client that held the body, or more than a few buffers of it, would die of
 * {@code OutOfMemoryError} instead.
 *
 * <p>Arguments: the backend's name, the URL, and {@code unguarded} to turn the decompression-ratio guard off.
 */
public final class BoundedHeapClient {
    private BoundedHeapClient() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args[0];
        String url = args[1];
        ResponseLimits limits = args.length > 2 && args[2].equals("unguarded")
                ? new ResponseLimits(8192, 65536, 100, -1, -1) : ResponseLimits.DEFAULTS;
        String result = Loops.run(TestLoops.named(backend), () -> {
            HttpTimeouts timeouts = HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(10));
            try (HttpSession session = HttpSession.builder().timeouts(timeouts).responseLimits(limits).build();
                 HttpResponse response = session.get(url)) {
                CRC32 crc = new CRC32();
                long bytes = 0;
                for (ByteBuffer chunk = response.readChunk(); chunk != null; chunk = response.readChunk()) {
                    bytes += chunk.remaining();
                    crc.update(chunk);
                }
                return "bytes=" + bytes + " crc=" + Long.toHexString(crc.getValue());
            }
        });
        System.out.println(result + " peakHeap=" + peakHeap());
    }

    /** The heap's pools' peaks added up: more than the heap ever held at once, so a safe upper bound. */
    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
