package dev.weft.netty;

import dev.weft.net.ReadLease;
import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A buffer Netty read, kept past {@code dataReceived} for a lending reader: one reference to it, and a read-only view
 * of the bytes kept which the loop recognises when it is written back ({@link NettyEventLoop#toWrite}). The leases
 * split from one delivery share its buffer, each holding a reference of its own. The loop knows every lease not yet
 * released ({@link NettyLeases}), and releases them if it closes first.
 */
final class NettyLease implements ReadLease {
    private final NettyEventLoop loop;
    private final ByteBuf buffer; // retained for this lease
    private final int start; // the buffer's index of the view's index 0
    private final ByteBuffer view;
    final long address; // the native address of the view's index 0 (whatever its position): how the loop finds it
    NettyLease nextInChain; // the next lease in the loop's table with the same hash
    private boolean released;

    /**
     * Keep {@code view}, a read-only view of direct memory whose index 0 is {@code buffer}'s index {@code start}, with
     * a reference to {@code buffer} the caller took for it; the loop learns of the lease.
     */
    NettyLease(NettyEventLoop loop, ByteBuf buffer, int start, ByteBuffer view) {
        this.loop = loop;
        this.buffer = buffer;
        this.start = start;
        this.view = view;
        this.address = MemorySegment.ofBuffer(view).address() - view.position();
        loop.lent(this);
    }

    @Override
    public ByteBuffer data() {
        return view;
    }

    @Override
    public ReadLease split(int n) {
        int at = view.position();
        ByteBuffer first = ReadLease.cutFirst(view, n); // before the retain: a refused cut holds nothing
        return new NettyLease(loop, buffer.retain(), start + at, first);
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            loop.returned(this);
            buffer.release();
            // A view kept past its lifetime (the documented misuse) now reads and writes nothing, instead of memory
            // Netty may already have handed to another connection. Writes made before hold their own reference.
            view.limit(0);
        }
    }

    /**
     * The bytes of {@code part} as Netty writes them: kept alive, uncopied. The part is this lease's view (or what is
     * left of it), or a slice or duplicate of it that {@link #holds} the memory of.
     */
    ByteBuf toWrite(ByteBuffer part) {
        int offset = part == view ? part.position() : (int) (MemorySegment.ofBuffer(part).address() - address);
        return NettyEventLoop.retainedPart(buffer, start + offset, part.remaining());
    }

    /** Whether the {@code length} bytes at native address {@code at} lie in this lease's memory. */
    boolean holds(long at, int length) {
        return at >= address && at + length <= address + view.limit();
    }
}
