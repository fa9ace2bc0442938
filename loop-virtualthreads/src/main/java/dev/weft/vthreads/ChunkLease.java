package dev.weft.vthreads;

import dev.weft.net.ReadLease;

import java.nio.ByteBuffer;

/**
 * Bytes a reader thread read, kept past {@code dataReceived} for a lending reader: a read-only view of them in the
 * reader's own {@link ChunkBuffer}, which it holds until released. The loop knows the view, so a write of it holds the
 * buffer too instead of copying it ({@link VirtualThreadEventLoop#holdable}). Loop only.
 */
final class ChunkLease implements ReadLease {
    private final VirtualThreadEventLoop loop;
    private final ChunkBuffer chunk;
    private final ByteBuffer view;
    private boolean released;

    ChunkLease(VirtualThreadEventLoop loop, ChunkBuffer chunk, ByteBuffer view) {
        this.loop = loop;
        this.chunk = chunk;
        this.view = view;
        chunk.hold();
        loop.lent(this);
    }

    ChunkBuffer chunk() {
        return chunk;
    }

    @Override
    public ByteBuffer data() {
        return view;
    }

    @Override
    public ReadLease split(int n) {
        return new ChunkLease(loop, chunk, ReadLease.cutFirst(view, n));
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            loop.returned(this);
            view.limit(0); // a view kept past its lifetime (the documented misuse) reads nothing the reader reads later
            chunk.letGo();
        }
    }
}
