package dev.weft.nio;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The direct buffers one loop reads into: the one the next read goes into, and the spares that take its place while
 * lending readers keep it ({@link NioLease}). A kept buffer comes back as a spare once every lease on it and every
 * pending write of it has let go. Loop thread only.
 *
 * <p>The loop owns at most {@link #MAX_BUFFERS}; when they are all lent, a delivery is copied instead, as it was before
 * nio lent at all. Allocating a fresh buffer per kept read instead would cost more than the copy it saves (a 256 KiB
 * {@code allocateDirect} zeroes its memory, and its release waits for a GC).
 */
final class NioReadBuffers {
    /** asyncio reads up to 256 KiB at a time; one read is one system call and, on its way to a reader, one copy at most. */
    static final int SIZE = 256 * 1024;

    /**
     * The most buffers a loop owns, lent ones included: 8 MiB of direct memory per loop at most. In a streams echo
     * every connection that a selection finds ready reads, and keeps its buffer until its task reads on after writing
     * it back, so a busy loop lends one buffer per ready connection at once; past the bound the rest are copied. At 100
     * KiB x 100 connections (EchoBench, one loop), 32 buffers gave the same CPU per echo as 128 (see docs/design.md,
     * "Lending reads").
     */
    static final int MAX_BUFFERS = 32;

    /**
     * The most memory a kept delivery pins per byte of it: a smaller delivery is copied. A reader's backpressure counts
     * bytes, and a peer trickling small segments would otherwise pin a whole buffer per few bytes (and use up the pool).
     * Netty's backend keeps a quarter or more of its buffer; nio an eighth (32 KiB): the loopback interface's segments,
     * 65,483 bytes, fall just short of a quarter, and the pool's bound caps what one loop pins in any case.
     */
    private static final int KEPT_PER_BYTE = 8;

    private ByteBuffer current; // what the next read goes into; null until then (a loop without sockets pays nothing)
    private final ArrayDeque<ByteBuffer> spares = new ArrayDeque<>();
    private int owned; // buffers allocated: current, lent and spare
    private final Map<ByteBuffer, NioLease> leases = new IdentityHashMap<>(); // by view: kept by readers, not released
    private boolean closed;

    /** The buffer the next read goes into, cleared: valid until the next read on this loop. */
    ByteBuffer forReading() {
        if (current == null) {
            current = spares.isEmpty() ? allocate() : spares.pop();
        }
        return current.clear();
    }

    private ByteBuffer allocate() {
        owned++;
        return ByteBuffer.allocateDirect(SIZE);
    }

    /** Whether the buffer is the one reads go into, which the next read overwrites. */
    boolean isCurrent(ByteBuffer buffer) {
        return buffer == current;
    }

    /**
     * Lend the delivered bytes (between the buffer's position and limit) without a copy, if the delivery is this loop's
     * current buffer, big enough to be worth pinning it, and a buffer is left to read on into; else null (the caller
     * copies). Reads go on into a spare.
     */
    NioLease lend(ByteBuffer delivered) {
        if (delivered != current || (long) delivered.remaining() * KEPT_PER_BYTE < SIZE
                || closed || spares.isEmpty() && owned >= MAX_BUFFERS) {
            return null;
        }
        current = null;
        return new NioLease(new Loan(delivered), delivered.slice().asReadOnlyBuffer());
    }

    /** The lease whose view this is, or null. */
    NioLease leaseOf(ByteBuffer view) {
        return leases.isEmpty() ? null : leases.get(view);
    }

    /** How many leases are not yet released. */
    int kept() {
        return leases.size();
    }

    /** How many buffers the loop owns now (for tests of the bound). */
    int owned() {
        return owned;
    }

    /** The loop closes: release what readers still keep (they are not told of their connections' end) and drop all. */
    void close() {
        closed = true;
        List.copyOf(leases.values()).forEach(NioLease::release);
        spares.clear();
        current = null;
    }

    void lent(NioLease lease) {
        leases.put(lease.data(), lease);
    }

    void returned(NioLease lease) {
        leases.remove(lease.data());
    }

    /**
     * A buffer out of the loop's hands: its leases and the pending writes of their bytes each hold it, and the last to
     * let go gives it back as a spare.
     */
    final class Loan {
        private final ByteBuffer buffer;
        private int holders;

        private Loan(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        /** The loop whose buffer this is. */
        NioReadBuffers buffers() {
            return NioReadBuffers.this;
        }

        void hold() {
            holders++;
        }

        void letGo() {
            if (--holders == 0 && !closed) {
                spares.push(buffer);
            }
        }
    }
}
