package dev.weft.nio;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The direct buffers one loop reads into, lent in parts to lending readers ({@link NioLease}). Reads go into the
 * current buffer after the bytes lent from it, while at least {@link #MIN_ROOM} is left; then into a spare. A buffer is
 * a spare again once every lease on it has been released, and the current one starts over from its first byte. Loop
 * thread only.
 *
 * <p>The loop owns at most {@link #MAX_BUFFERS}; when they are all lent, a delivery is copied instead (as before nio
 * lent at all) and reads go on into what is left of the current buffer. Allocating a fresh buffer per kept read
 * instead would cost more than the copy it saves: {@code allocateDirect} zeroes the memory, and its release waits for a
 * GC.
 */
final class NioReadBuffers {
    /** asyncio reads up to 256 KiB at a time; one read is one system call and, on its way to a reader, one copy at most. */
    static final int SIZE = 256 * 1024;

    /**
     * The least room a read goes into (a quarter of a buffer); a buffer lent past that is left to its leases. A read
     * into less would take fewer bytes from the socket than a read of the whole buffer, and cost more system calls.
     */
    static final int MIN_ROOM = SIZE / 4;

    /**
     * The most buffers a loop owns, lent ones included: 16 MiB of direct memory at most. In a streams echo every
     * connection that a selection finds ready reads, and keeps what it read until its task reads on after writing it
     * back, so a busy loop lends one delivery per ready connection at once, two to a buffer at 100 KiB. At 100 KiB x
     * 100 connections (EchoBench, one loop) that took 50 buffers: with 64 nothing was copied, with 32 a sixth to a half
     * of the deliveries were (0.90x and 1.03x raw Netty's CPU per echo, one run); past the bound the rest are copied.
     */
    static final int MAX_BUFFERS = 64;

    /**
     * The most memory a kept delivery pins per byte of it: a smaller delivery (under 8 KiB) is copied. A reader's
     * backpressure counts bytes, and a peer trickling small segments would otherwise pin a whole buffer per few bytes
     * (and use up the pool); the pool's bound caps what one loop pins in any case. With an eighth of a buffer (32 KiB)
     * a 10 KiB echo was copied to a fresh heap array, which the JDK then copied again to write it: 1.37x and 1.23x raw
     * Netty's CPU per echo at 10 KiB over 10 and 100 connections, against 1.08x and 1.01x lent (EchoBench, 2026-12-06).
     * What it costs: a reader that stops reading keeps up to twice its limit (128 KiB by default) plus a delivery, so
     * at 8 KiB a delivery up to 17 leases, each of which may pin a buffer of its own. Four such readers can then hold all
     * 64 buffers of a loop (thirteen could at 32 KiB), after which the loop copies every delivery: slower, never
     * more memory.
     */
    static final int KEPT_PER_BYTE = 32;

    private Loan current; // the buffer reads go into, held by the loop; null until the next read needs one
    private ByteBuffer room; // what the last read went into: current's part after the bytes lent from it
    private boolean roomLent; // the last read was lent: the next one goes after it
    private final ArrayDeque<Loan> spares = new ArrayDeque<>();
    private int owned; // buffers allocated: current, lent and spare
    private final Set<NioLease> leases = new HashSet<>(); // kept by readers, not released
    private boolean closed;

    /** The buffer the next read goes into, cleared: valid until the next read on this loop. */
    ByteBuffer forReading() {
        if (current == null) {
            current = spares.isEmpty() ? new Loan() : spares.pop();
            current.hold();
            room = null;
        } else if (current.holders == 1 && current.lentUpTo > 0) { // every lease on it released: start over
            current.lentUpTo = 0;
            room = null;
        }
        if (room == null || roomLent) {
            room = current.buffer.slice(current.lentUpTo, SIZE - current.lentUpTo);
            roomLent = false;
        }
        return room.clear();
    }

    /** Whether the buffer is the one the last read went into, which the next read may overwrite. */
    boolean isCurrent(ByteBuffer buffer) {
        return buffer == room;
    }

    /**
     * Lend the delivered bytes (between the buffer's position and limit) without a copy, if they are what the last read
     * delivered, big enough to be worth pinning a buffer, and room is left to read on into (here or in a spare); else
     * null (the caller copies).
     */
    NioLease lend(ByteBuffer delivered) {
        if (delivered != room || roomLent || closed || (long) delivered.remaining() * KEPT_PER_BYTE < SIZE) {
            return null;
        }
        int end = current.lentUpTo + delivered.limit();
        boolean full = SIZE - end < MIN_ROOM;
        if (full && spares.isEmpty() && owned >= MAX_BUFFERS) {
            return null;
        }
        NioLease lease = new NioLease(current, delivered.slice().asReadOnlyBuffer());
        current.lentUpTo = end;
        roomLent = true;
        if (full) {
            Loan lentOut = current;
            current = null;
            lentOut.letGo();
        }
        return lease;
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
        List.copyOf(leases).forEach(NioLease::release);
        spares.clear();
        current = null;
        room = null;
    }

    void lent(NioLease lease) {
        leases.add(lease);
    }

    void returned(NioLease lease) {
        leases.remove(lease);
    }

    /**
     * One buffer of the loop's, and who holds it: the loop while reads go into it, and each lease on its bytes. The last
     * to let go makes it a spare.
     */
    final class Loan {
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);
        private int holders;
        private int lentUpTo; // the bytes before this are lent, or were since the buffer last started over

        private Loan() {
            owned++;
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
                lentUpTo = 0;
                spares.push(this);
            }
        }
    }
}
