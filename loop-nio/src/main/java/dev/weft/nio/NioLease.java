package dev.weft.nio;

import dev.weft.net.ReadLease;

import java.nio.ByteBuffer;

/**
 * Bytes a nio loop read, kept past {@code dataReceived} for a lending reader: a read-only view of them in the loop's
 * own read buffer, after which the loop reads on ({@link NioReadBuffers}). The buffer is the loop's again once every
 * lease on it is released; the loop releases those still held if it closes first.
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
        return new NioLease(loan, ReadLease.cutFirst(view, n));
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            loan.buffers().returned(this);
            // A view kept past its lifetime (the documented misuse) now reads and writes nothing, instead of bytes
            // another connection reads into the buffer later. A pending write of it holds a copy (NioWriteQueue).
            view.limit(0);
            loan.letGo();
        }
    }
}
