package dev.weft.nio;

import dev.weft.net.ReadLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool a nio loop lends its read buffers from: what it lends and what it copies, its bound, and that a buffer comes
 * back only when every lease and every pending write of it has let go.
 */
@Timeout(10)
class NioReadBuffersTest {
    private static final int WORTH_KEEPING = NioReadBuffers.SIZE / 8;

    private final NioReadBuffers buffers = new NioReadBuffers();

    /** A read of {@code n} bytes, each {@code value}, into the buffer reads go into now. */
    private ByteBuffer read(int n, int value) {
        ByteBuffer buffer = buffers.forReading();
        for (int i = 0; i < n; i++) {
            buffer.put((byte) value);
        }
        return buffer.flip();
    }

    @Test
    void aLentDeliveryIsAReadOnlyViewOfItsBytesAndReadsGoOnIntoAnotherBuffer() {
        ByteBuffer delivered = read(WORTH_KEEPING + 10, 'a');
        delivered.position(10); // a protocol had taken ten bytes before it kept the rest
        NioLease lease = buffers.lend(delivered);
        assertNotNull(lease);
        assertTrue(lease.data().isReadOnly() && lease.data().isDirect(), "a read-only direct view");
        assertEquals(WORTH_KEEPING, lease.data().remaining());
        assertEquals(10, delivered.position(), "keeping does not move the delivered buffer");
        ByteBuffer next = read(WORTH_KEEPING, 'b');
        assertNotSame(delivered, next, "the next read goes into another buffer");
        assertEquals('a', lease.data().get(lease.data().limit() - 1), "and leaves the lent bytes alone");
        assertEquals(1, buffers.kept());
        assertSame(lease, buffers.leaseOf(lease.data()));
    }

    @Test
    void smallDeliveriesAndOtherBuffersAreNotLent() {
        assertNull(buffers.lend(read(WORTH_KEEPING - 1, 'a')), "a delivery pinning more than 8x its size");
        assertNull(buffers.lend(ByteBuffer.allocateDirect(NioReadBuffers.SIZE)), "a buffer not the loop's");
        assertEquals(0, buffers.kept());
    }

    @Test
    void aReleasedLeaseShowsNothingAndItsBufferIsReadIntoAgain() {
        ByteBuffer delivered = read(WORTH_KEEPING, 'a');
        NioLease lease = buffers.lend(delivered);
        ByteBuffer second = read(1, 'b');
        lease.release();
        lease.release(); // idempotent
        assertEquals(0, lease.data().remaining(), "a view kept past its lifetime reads nothing");
        assertEquals(0, buffers.kept());
        assertNull(buffers.leaseOf(lease.data()));
        assertSame(second, buffers.forReading(), "the current buffer stays current");
        assertNotNull(buffers.lend(read(WORTH_KEEPING, 'c')));
        assertSame(delivered, buffers.forReading(), "the released buffer is the spare read into next");
        assertEquals(2, buffers.owned());
    }

    @Test
    void aSplitBufferComesBackOnlyWhenBothPartsAndAPendingWriteHaveLetGo() {
        ByteBuffer delivered = read(WORTH_KEEPING, 'a');
        NioLease rest = buffers.lend(delivered);
        ReadLease first = rest.split(100);
        assertEquals(100, first.data().remaining());
        assertEquals(WORTH_KEEPING - 100, rest.data().remaining());
        assertEquals(2, buffers.kept());
        rest.loan().hold(); // a write of it waits in a write queue
        first.release();
        rest.release();
        assertEquals(0, buffers.kept());
        buffers.lend(read(WORTH_KEEPING, 'b'));
        assertNotSame(delivered, buffers.forReading(), "a buffer still being written is not read into");
        rest.loan().letGo(); // written
        buffers.lend(read(WORTH_KEEPING, 'c'));
        assertSame(delivered, buffers.forReading(), "written, the buffer is a spare again");
    }

    @Test
    void onceThePoolIsLentOutDeliveriesAreCopiedUntilABufferComesBack() {
        List<NioLease> leases = new ArrayList<>();
        for (int i = 1; i < NioReadBuffers.MAX_BUFFERS; i++) {
            leases.add(buffers.lend(read(WORTH_KEEPING, i)));
        }
        ByteBuffer last = read(WORTH_KEEPING, 0);
        assertEquals(NioReadBuffers.MAX_BUFFERS - 1, buffers.kept());
        assertEquals(NioReadBuffers.MAX_BUFFERS, buffers.owned(), "every buffer lent but the one read into");
        assertNull(buffers.lend(last), "no buffer left to read on into: the caller copies");
        assertSame(last, buffers.forReading(), "reads go on into the buffer not lent");
        leases.getFirst().release();
        assertNotNull(buffers.lend(read(WORTH_KEEPING, 0)), "a buffer came back");
        assertEquals(NioReadBuffers.MAX_BUFFERS, buffers.owned(), "and no buffer was allocated past the bound");
    }

    @Test
    void closingReleasesEveryLeaseAndLendsNoMore() {
        NioLease lease = buffers.lend(read(WORTH_KEEPING, 'a'));
        ReadLease part = lease.split(1);
        buffers.close();
        assertEquals(0, buffers.kept());
        assertEquals(0, lease.data().remaining());
        assertEquals(0, part.data().remaining());
        assertNull(buffers.lend(read(WORTH_KEEPING, 'b')));
    }
}
