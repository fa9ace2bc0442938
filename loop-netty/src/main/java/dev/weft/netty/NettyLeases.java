package dev.weft.netty;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The leases a loop's readers keep and have not released, found from a buffer given to write by the native address of
 * its index 0. A hash table chained through the leases themselves: adding and removing one allocates nothing, and the
 * key is read off the memory, where an identity map keyed by each new view paid for that view's first identity hash
 * (a profile of the streams echo on epoll put that and the map's work at about 1% of an echo). Loop thread only.
 */
final class NettyLeases {
    private NettyLease[] table = new NettyLease[16]; // a power of two
    private int size;

    int size() {
        return size;
    }

    void add(NettyLease lease) {
        if (size >= table.length) {
            grow();
        }
        int slot = slot(lease.address, table.length);
        lease.nextInChain = table[slot];
        table[slot] = lease;
        size++;
    }

    void remove(NettyLease lease) {
        int slot = slot(lease.address, table.length);
        if (table[slot] == lease) {
            table[slot] = lease.nextInChain;
        } else {
            NettyLease before = table[slot];
            while (before.nextInChain != lease) {
                before = before.nextInChain;
            }
            before.nextInChain = lease.nextInChain;
        }
        lease.nextInChain = null;
        size--;
    }

    /**
     * The lease whose view {@code data} is, or else one whose memory holds it (a slice or duplicate of a view: wrapped
     * as it is, it would be sent from memory the reader gives back at its next read; rare, so a scan); null if none.
     * {@code data} is direct.
     */
    NettyLease find(ByteBuffer data) {
        if (size == 0) {
            return null;
        }
        long at = MemorySegment.ofBuffer(data).address(); // at the position
        for (NettyLease lease = table[slot(at - data.position(), table.length)]; lease != null; lease = lease.nextInChain) {
            if (lease.data() == data) {
                return lease;
            }
        }
        for (NettyLease chain : table) {
            for (NettyLease lease = chain; lease != null; lease = lease.nextInChain) {
                if (lease.holds(at, data.remaining())) {
                    return lease;
                }
            }
        }
        return null;
    }

    /** Release every lease: the loop is closing, and their readers are gone without being told. */
    void releaseAll() {
        for (int slot = 0; slot < table.length; slot++) {
            while (table[slot] != null) {
                table[slot].release(); // which removes it
            }
        }
    }

    private void grow() {
        NettyLease[] bigger = new NettyLease[table.length * 2];
        for (NettyLease chain : table) {
            for (NettyLease lease = chain, next; lease != null; lease = next) {
                next = lease.nextInChain;
                int slot = slot(lease.address, bigger.length);
                lease.nextInChain = bigger[slot];
                bigger[slot] = lease;
            }
        }
        table = bigger;
    }

    /** Fibonacci hashing: read buffers sit at aligned addresses, whose low bits are all alike. */
    private static int slot(long address, int length) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(length)));
    }
}
