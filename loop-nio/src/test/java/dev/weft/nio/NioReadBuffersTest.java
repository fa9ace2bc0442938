package dev.weft.nio;

import dev.weft.net.ReadLease;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffers a nio loop reads into and lends from: what it lends and what it copies, where it reads on after lending,
 * when a buffer is the loop's again, and the bound on how many it owns.
 */
@Timeout(10)
class NioReadBuffersTest {
    private static final int SIZE = NioReadBuffers.SIZE;
    private static final int WORTH_KEEPING = SIZE / 8;

    private final NioReadBuffers buffers = new NioReadBuffers();

    /** A read of {@code n} bytes, each {@code value}, into the buffer reads go into now. */
    private ByteBuffer read(int n, int value) {
        ByteBuffer buffer = buffers.forReading();
        for (int i = 0; i < n; i++) {
            buffer.put((byte) value);
        }
        return buffer.flip();
    }

    /** A read that is lent at once. */
    private NioLease lentRead(int n, int value) {
        NioLease lease = buffers.lend(read(n, value));
        assertNotNull(lease, "a read of " + n + " bytes was not lent");
        return lease;
    }

    @Test
    void aLentDeliveryIsAReadOnlyViewOfItsBytesAndReadsGoOnAfterIt() {
        ByteBuffer delivered = read(WORTH_KEEPING + 10, 'a');
        delivered.position(10); // a protocol took ten bytes before it kept the rest
        NioLease lease = buffers.lend(delivered);
        assertNotNull(lease);
        assertTrue(lease.data().isReadOnly() && lease.data().isDirect(), "a read-only direct view");
        assertEquals(WORTH_KEEPING, lease.data().remaining());
        assertEquals(10, delivered.position(), "keeping does not move the delivered buffer");
        ByteBuffer next = buffers.forReading();
        assertEquals(SIZE - WORTH_KEEPING - 10, next.remaining(), "the next read goes after the lent bytes");
        read(next.remaining(), 'b');
        assertTrue(allAre(lease.data(), 'a'), "and leaves them alone");
        assertEquals(1, buffers.kept());
    }

    @Test
    void aDeliveryOf8KiBIsLent() {
        assertNotNull(buffers.lend(read(8 * 1024, 'a')));
        assertEquals(1, buffers.kept());
    }

    @Test
    void smallDeliveriesOtherBuffersAndADeliveryLentAlreadyAreNotLent() {
        assertNull(buffers.lend(read(SIZE / NioReadBuffers.KEPT_PER_BYTE - 1, 'a')), "a delivery pinning a buffer "
                + "more than KEPT_PER_BYTE times its size");
        assertNull(buffers.lend(ByteBuffer.allocateDirect(SIZE)), "a buffer not the loop's");
        ByteBuffer delivered = read(WORTH_KEEPING, 'a');
        assertNotNull(buffers.lend(delivered));
        assertNull(buffers.lend(delivered), "the same delivery twice");
        assertEquals(1, buffers.kept());
    }

    @Test
    void aReleasedLeaseShowsNothingAndItsBufferStartsOverOnceEveryPartIsReleased() {
        NioLease rest = lentRead(WORTH_KEEPING, 'a');
        ReadLease first = rest.split(100);
        assertEquals(100, first.data().remaining());
        assertEquals(WORTH_KEEPING - 100, rest.data().remaining());
        assertEquals(2, buffers.kept());
        first.release();
        first.release(); // idempotent
        assertEquals(0, first.data().remaining(), "a view kept past its lifetime reads nothing");
        assertEquals(SIZE - WORTH_KEEPING, buffers.forReading().remaining(), "a part is still lent");
        rest.release();
        assertEquals(0, buffers.kept());
        assertEquals(SIZE, buffers.forReading().remaining(), "nothing lent: reads start over");
        assertEquals(1, buffers.owned());
    }

    @Test
    void aBufferWithTooLittleRoomLeftIsLeftToItsLeasesAndComesBackAsASpare() {
        NioLease firstHalf = lentRead(SIZE / 2, 'a');
        assertEquals(SIZE / 2, buffers.forReading().remaining(), "room enough: reads go on in the same buffer");
        NioLease secondHalf = lentRead(SIZE / 2 - NioReadBuffers.MIN_ROOM + 1, 'b');
        assertEquals(SIZE, buffers.forReading().remaining(), "too little room left: the next read takes a new buffer");
        assertEquals(2, buffers.owned());
        firstHalf.release();
        secondHalf.release();
        lentRead(SIZE, 'c'); // the whole second buffer
        assertEquals(SIZE, buffers.forReading().remaining(), "the first buffer, a spare again");
        assertEquals(2, buffers.owned(), "no buffer allocated while a spare was left");
    }

    @Test
    void onceEveryBufferIsLentDeliveriesThatWouldFillOneAreCopiedUntilOneComesBack() {
        List<NioLease> whole = new ArrayList<>();
        for (int i = 1; i < NioReadBuffers.MAX_BUFFERS; i++) {
            whole.add(lentRead(SIZE, i));
        }
        lentRead(WORTH_KEEPING, 0); // the last buffer: lent in part, as it keeps room to read on into
        ByteBuffer filling = read(SIZE - WORTH_KEEPING, 0);
        assertEquals(NioReadBuffers.MAX_BUFFERS, buffers.owned());
        assertNull(buffers.lend(filling), "no buffer left to read on into: the caller copies");
        assertEquals(SIZE - WORTH_KEEPING, buffers.forReading().remaining(), "reads go on into the room left");
        whole.getFirst().release();
        assertNotNull(buffers.lend(read(SIZE - WORTH_KEEPING, 0)), "a buffer came back");
        assertEquals(SIZE, buffers.forReading().remaining());
        assertEquals(NioReadBuffers.MAX_BUFFERS, buffers.owned(), "and none was allocated past the bound");
    }

    @Test
    void closingReleasesEveryLeaseAndLendsNoMore() {
        NioLease lease = lentRead(WORTH_KEEPING, 'a');
        ReadLease part = lease.split(1);
        buffers.close();
        assertEquals(0, buffers.kept());
        assertEquals(0, lease.data().remaining());
        assertEquals(0, part.data().remaining());
        assertNull(buffers.lend(read(WORTH_KEEPING, 'b')));
    }

    private static boolean allAre(ByteBuffer view, int value) {
        for (int i = view.position(); i < view.limit(); i++) {
            if (view.get(i) != value) {
                return false;
            }
        }
        return true;
    }
}
