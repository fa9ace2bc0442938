package dev.weft.nio;

import dev.weft.net.ReadLease;

import java.nio.ByteBuffer;

/**
 * Bytes a nio loop read, kept past {@code dataReceived} for a lending reader: a read-only view of the loop's own read
 * buffer, which the loop lends whole and reads on into a spare ({@link NioReadBuffers}). The loop recognises the view
 * when it is written back ({@link NioWriteQueue}), and releases the leases still held if it closes first.
 */
final class NioLease implements ReadLease {
    private final NioReadBuffers.Loan loan;
    private final ByteBuffer view;
    private boolean released;

    /** Hold the loaned buffer through {@code view}, a read-only part of it; the loop learns of the lease. */
    NioLease(NioReadBuffers.Loan loan, ByteBuffer view) {
        this.loan = loan;
        this.view = view;
        loan.hold();
        loan.buffers().lent(this);
    }

    @Override
    public ByteBuffer data() {
        return view;
    }

    @Override
    public ReadLease split(int n) {
        ReadLease.checkSplit(view, n);
        NioLease first = new NioLease(loan, view.slice(view.position(), n));
        view.position(view.position() + n);
        return first;
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            loan.buffers().returned(this);
            // A view kept past its lifetime (the documented misuse) now reads and writes nothing, instead of bytes
            // another connection reads into the buffer later. Pending writes of it hold their own view and the loan.
            view.limit(0);
            loan.letGo();
        }
    }

    /** The buffer behind the view, for a write that must keep the bytes until the socket has taken them. */
    NioReadBuffers.Loan loan() {
        return loan;
    }
}
