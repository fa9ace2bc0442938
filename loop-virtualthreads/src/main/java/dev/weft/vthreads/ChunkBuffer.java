package dev.weft.vthreads;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A direct buffer a stream's reader thread reads a chunk into, and the holds the loop has on it: leases a lending
 * reader keeps ({@link ChunkLease}) and writes of its bytes the writer thread has not yet reported done. The reader
 * never reads into a held buffer: it reads on into another, and a buffer whose last hold goes is a spare for any
 * reader of the loop ({@link SpareReadBuffers}). So bytes a protocol echoes, or a task writes from {@code readChunk},
 * go to the socket from where they were read. Copied to be held instead, they were copied twice: into a new heap
 * array, whose memory was cold (a tenth of the streams echo's CPU at 10 KiB), and by the JDK into a direct buffer to
 * write it.
 *
 * <p>Bytes are held only where they are a good part of their buffer ({@link #worthHolding}): the reader's and the
 * writer's backpressure count bytes, so a peer trickling tiny segments, or a protocol that writes back a few bytes of
 * each large chunk, would otherwise pin a whole buffer (16 KiB at least, up to 256 KiB) for every few bytes counted.
 * Such bytes are copied, as before. A held view pins at most {@value #HELD_PER_BYTE} times its size.
 *
 * <p>The loop makes a buffer and counts its holds; the reader thread allocates its memory at its first read
 * ({@link #memory}), so an allocation that waits for direct memory to be freed (the JDK then runs a GC and sleeps)
 * waits there, not on the loop. The permit and the chunk's post order the two threads' steps. Loop only otherwise.
 */
final class ChunkBuffer {
    private static final int HELD_PER_BYTE = 4;

    private VirtualThreadReader reader; // whose buffer it is: the one that made it, or took it as a spare
    private final int capacity;
    private ByteBuffer memory; // allocated by the reader thread, before the first chunk read into it is posted
    private int holds;
    private boolean retired; // held by a write that will never be reported: never read into again

    ChunkBuffer(VirtualThreadReader reader, int capacity) {
        this.reader = reader;
        this.capacity = capacity;
    }

    /** The memory, allocated at the first call: the reader thread's, before it reads into it (the loop's come after). */
    ByteBuffer memory() {
        if (memory == null) {
            memory = ByteBuffer.allocateDirect(capacity);
        }
        return memory;
    }

    int capacity() {
        return capacity;
    }

    /** A spare becomes this reader's; null: it becomes a spare. */
    void adoptedBy(VirtualThreadReader reader) {
        this.reader = reader;
    }

    /** Whether it was given up as a spare and no reader has taken it since. */
    boolean isSpare() {
        return reader == null;
    }

    /** Whether a view of these bytes is large enough to keep the buffer from being read into until it is let go. */
    boolean worthHolding(ByteBuffer view) {
        return (long) view.remaining() * HELD_PER_BYTE >= capacity;
    }

    /** Whether {@code data} views this buffer's memory (a chunk read into it): the chunk, or a slice or duplicate. */
    boolean contains(ByteBuffer data) {
        return data == memory || sharesMemory(data, memory);
    }

    /** Whether the reader may read into it again: nothing holds it, and no write may still be reading it. */
    boolean isFree() {
        return holds == 0 && !retired;
    }

    void hold() {
        if (holds++ == 0) {
            reader.held(true);
        }
    }

    /** One hold fewer; at the last, the buffer goes back to its reader. */
    void letGo() {
        if (--holds == 0) {
            reader.held(false);
            if (!retired) {
                reader.returned(this);
            }
        }
    }

    /**
     * Let go of a hold whose write will never be reported (its connection was lost): the writer thread may still be
     * reading the memory, so the buffer is never read into again; it goes to the GC once nothing else holds it.
     */
    void retire() {
        retired = true;
        letGo();
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
