package dev.weft.vthreads;

import java.util.ArrayDeque;

/**
 * A loop's read buffers that came back from their holds and that no reader reads into: any reader of the loop reads
 * into one of them next, when its own is held, before a new one is allocated. One pool for the loop, not a spare per
 * reader, so an idle connection keeps only the buffers of its granted reads, and a buffer one connection's write held
 * serves another's next read. At most {@value #MAX_BYTES} bytes are kept; past that, or once the loop has closed, a
 * buffer that comes back goes to the GC. The last one back is the first out, its memory most likely still in a cache.
 * Loop only.
 */
final class SpareReadBuffers {
    private static final long MAX_BYTES = 16L << 20;

    // one stack per size a reader reads into (VirtualThreadReader: 16 KiB, four times that, and so on up to 256 KiB)
    private final ArrayDeque<ChunkBuffer> small = new ArrayDeque<>();
    private final ArrayDeque<ChunkBuffer> medium = new ArrayDeque<>();
    private final ArrayDeque<ChunkBuffer> large = new ArrayDeque<>();
    private long bytes;
    private boolean closed;

    /** A spare of exactly this capacity, now the reader's, or null if there is none. */
    ChunkBuffer take(int capacity, VirtualThreadReader reader) {
        ArrayDeque<ChunkBuffer> stack = stack(capacity);
        ChunkBuffer spare = stack == null ? null : stack.pollLast();
        if (spare != null) {
            bytes -= spare.capacity();
            spare.adoptedBy(reader);
        }
        return spare;
    }

    /**
     * Keep a buffer nothing holds and no reader reads into, if there is room. It lets go of its reader: a spare must
     * not keep a closed connection's objects alive.
     */
    void give(ChunkBuffer buffer) {
        if (buffer.isSpare()) {
            return; // given twice: kept twice, it would be read into by two readers at once
        }
        buffer.adoptedBy(null);
        ArrayDeque<ChunkBuffer> stack = stack(buffer.capacity());
        if (!closed && stack != null && bytes + buffer.capacity() <= MAX_BYTES) {
            stack.addLast(buffer);
            bytes += buffer.capacity();
        }
    }

    /** The loop closed: let every spare go, and keep none that comes back later (a lease released at the close). */
    void close() {
        closed = true;
        small.clear();
        medium.clear();
        large.clear();
        bytes = 0;
    }

    /** The stack of buffers of exactly this capacity; null for a size no reader reads into. */
    private ArrayDeque<ChunkBuffer> stack(int capacity) {
        if (capacity == VirtualThreadReader.FIRST_READ) {
            return small;
        }
        if (capacity == VirtualThreadReader.FIRST_READ * 4) {
            return medium;
        }
        return capacity == VirtualThreadReader.MAX_READ ? large : null;
    }
}
