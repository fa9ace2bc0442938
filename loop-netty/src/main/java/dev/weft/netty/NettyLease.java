package dev.weft.netty;

import dev.weft.net.ReadLease;
import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A buffer Netty read, kept past {@code dataReceived} for a lending reader: a retained slice of it, and a read-only
 * view of that slice which the loop recognises when it is written back ({@link NettyEventLoop#toWrite}). The loop
 * knows every lease not yet released, and releases them if it closes first.
 */
final class NettyLease implements ReadLease {
    private final NettyEventLoop loop;
    private final ByteBuf kept; // the bytes, indexed from 0 as the view
    private final ByteBuffer view;
    private boolean released;

    /** Keep {@code length} bytes of {@code data} from {@code index}; the loop learns of the lease. */
    NettyLease(NettyEventLoop loop, ByteBuf data, int index, int length) {
        this.loop = loop;
        this.kept = data.retainedSlice(index, length);
        this.view = kept.nioBuffer().asReadOnlyBuffer();
        loop.lent(this);
    }

    @Override
    public ByteBuffer data() {
        return view;
    }

    @Override
    public ReadLease split(int n) {
        ReadLease.checkSplit(view, n);
        NettyLease first = new NettyLease(loop, kept, view.position(), n);
        view.position(view.position() + n);
        return first;
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            loop.returned(this);
            kept.release();
            // A view kept past its lifetime (the documented misuse) now reads and writes nothing, instead of memory
            // Netty may already have handed to another connection. Writes made before hold their own slice.
            view.limit(0);
        }
    }

    /**
     * The bytes of {@code part} as Netty writes them: kept alive, uncopied. The part is this lease's view (or what is
     * left of it), or a slice or duplicate of it that {@link #holds} the memory of.
     */
    ByteBuf toWrite(ByteBuffer part) {
        int offset = part == view ? part.position() : (int) (MemorySegment.ofBuffer(part).address() - base());
        return kept.retainedSlice(offset, part.remaining());
    }

    /** Whether the {@code length} bytes at native address {@code start} lie in this lease's memory. */
    boolean holds(long start, int length) {
        if (!view.isDirect()) {
            return false;
        }
        long base = base();
        return start >= base && start + length <= base + view.limit();
    }

    /** The native address of the view's first byte (index 0, whatever its position). */
    private long base() {
        return MemorySegment.ofBuffer(view).address() - view.position();
    }
}
