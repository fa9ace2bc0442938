package dev.weft.vthreads;

import java.util.ArrayDeque;

/**
 * A loop's read buffers that came back from their holds and that no reader reads into: any reader of the loop reads
 * into one of them next, when its own is held, before a new one is allocated. One pool for the loop, not a spare per
 * reader, so an idle connection keeps only its last buffer, and a buffer one connection's write held serves another's
 * next read. At most {@value #MAX_BYTES} bytes are kept; past that a buffer that comes back goes to the GC. The last
 * one back is the first out, its memory most likely still in a cache. Loop only.
 */
final class SpareReadBuffers {
    private static final long MAX_BYTES = 16L << 20;

    // one stack per size a reader reads into: 16, 64 and 256 KiB (VirtualThreadReader)
    private final ArrayDeque<ChunkBuffer> small = new ArrayDeque<>();
    private final ArrayDeque<ChunkBuffer> medium = new ArrayDeque<>();
    private final ArrayDeque<ChunkBuffer> large = new ArrayDeque<>();
    private long bytes;

    /** A spare of this capacity, now the reader's, or null if there is none. */
    ChunkBuffer take(int capacity, VirtualThreadReader reader) {
        ChunkBuffer spare = stack(capacity).pollLast();
        if (spare != null) {
            bytes -= capacity;
            spare.adoptedBy(reader);
        }
        return spare;
    }

    /**
     * Keep a buffer nothing holds and no reader reads into, if there is room. It lets go of its reader: a spare must
     * not keep a closed connection's objects alive.
     */
    void give(ChunkBuffer buffer) {
        buffer.adoptedBy(null);
        if (bytes + buffer.capacity() <= MAX_BYTES) {
            stack(buffer.capacity()).addLast(buffer);
            bytes += buffer.capacity();
        }
    }

    private ArrayDeque<ChunkBuffer> stack(int capacity) {
        return capacity <= VirtualThreadReader.FIRST_READ ? small : capacity < VirtualThreadReader.MAX_READ ? medium : large;
    }
}
