package dev.weft.vthreads;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A direct buffer a stream's reader thread reads a chunk into, and the holds the loop has on it: leases a lending
 * reader keeps ({@link ChunkLease}) and writes of its bytes the writer thread has not yet reported done. The reader
 * never reads into a held buffer: it reads on into another, and a buffer whose last hold goes is its spare. So bytes
 * a protocol echoes, or a task writes from {@code readChunk}, go to the socket from where they were read. A held copy
 * cost two: one into a new heap array, whose memory was cold (a tenth of the streams echo's CPU at 10 KiB), and one
 * by the JDK into a direct buffer to write it.
 *
 * <p>A chunk is held only when it fills a good part of its buffer ({@link #worthHolding}): a peer trickling tiny
 * segments would otherwise pin a whole buffer (16 KiB at least) for each few bytes that the reader's and the
 * writer's backpressure count, so each such chunk is copied, as before. Kept, a chunk pins at most
 * {@value #HELD_PER_BYTE} times its size. Loop only.
 */
final class ChunkBuffer {
    private static final int HELD_PER_BYTE = 4;

    final ByteBuffer buffer;
    private final VirtualThreadReader reader;
    private int delivered; // bytes in the chunk last read into it
    private int holds;

    ChunkBuffer(VirtualThreadReader reader, int capacity) {
        this.reader = reader;
        this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    int capacity() {
        return buffer.capacity();
    }

    /** The reader read a chunk of this many bytes into it. */
    void filled(int bytes) {
        delivered = bytes;
    }

    /** Whether its chunk is large enough to keep it from being read into again until written or read. */
    boolean worthHolding() {
        return (long) delivered * HELD_PER_BYTE >= buffer.capacity();
    }

    /** Whether {@code data} views this buffer's memory: the chunk itself, or a slice or duplicate of it. */
    boolean contains(ByteBuffer data) {
        return data == buffer || sharesMemory(data, buffer);
    }

    boolean isHeld() {
        return holds > 0;
    }

    void hold() {
        holds++;
    }

    /** One hold fewer; at the last, the buffer goes back to its reader. */
    void letGo() {
        if (--holds == 0) {
            reader.returned(this);
        }
    }

    /** Whether {@code data} views any of {@code memory}'s bytes, from index 0 to its capacity. */
    static boolean sharesMemory(ByteBuffer data, ByteBuffer memory) {
        if (data.isDirect() != memory.isDirect()) {
            return false;
        }
        return MemorySegment.ofBuffer(data)
                .asOverlappingSlice(MemorySegment.ofBuffer(memory.duplicate().clear()))
                .isPresent();
    }
}
