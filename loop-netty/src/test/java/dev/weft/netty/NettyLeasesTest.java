package dev.weft.netty;

import dev.weft.loop.TaskMode;
import dev.weft.net.ReadLease;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The loop's table of the leases its readers keep ({@link NettyLeases}), through the loop as its transports use it:
 * more leases than the table first holds, leases split off at the same address (one chain), each found again from its
 * view or a slice of it and written without a copy, released in any order, and the rest released when the loop closes.
 * The suites' echoes never hold this many leases on one loop at once.
 */
class NettyLeasesTest {
    private static final int DELIVERIES = 40;
    private static final int SIZE = 64;

    @Test
    @Timeout(30)
    void everyLeaseIsFoundFromItsViewOrASliceAndGivenBackOnce() {
        NettyEventLoop loop = new NettyEventLoop(new NettyNioForTests(), TaskMode.BATON);
        List<ByteBuf> buffers = new ArrayList<>();
        List<ReadLease> leases = new ArrayList<>();
        for (int i = 0; i < DELIVERIES; i++) {
            ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(SIZE, SIZE).writeBytes(bytes(i));
            buffers.add(read);
            ReadLease lease = loop.keep(loop.show(read));
            loop.unshow();
            read.release(); // as the transport does once dataReceived returns: the lease holds its own reference
            if (i % 2 == 0) {
                leases.add(lease.split(SIZE / 2)); // the same address as what is left of the lease
            }
            leases.add(lease);
        }
        assertEquals(leases.size(), loop.keptBuffers());

        for (ReadLease lease : leases) {
            assertWrittenUncopied(loop, lease.data());
            ByteBuffer view = lease.data();
            assertWrittenUncopied(loop, view.slice(view.position() + 1, 3));
        }

        for (int i = 0; i < leases.size(); i += 3) { // heads, middles and tails of chains
            leases.get(i).release();
            leases.get(i).release(); // idempotent
        }
        int left = leases.size() - (leases.size() + 2) / 3;
        assertEquals(left, loop.keptBuffers());
        for (int i = 0; i < leases.size(); i++) {
            if (i % 3 != 0) {
                assertWrittenUncopied(loop, leases.get(i).data());
            } else {
                ByteBuf written = loop.toWrite(leases.get(i).data());
                assertEquals(0, written.readableBytes(), "a released view sends nothing");
                written.release();
            }
        }

        loop.close();
        assertEquals(0, loop.keptBuffers());
        for (ByteBuf buffer : buffers) {
            assertEquals(0, buffer.refCnt(), "every buffer back in the pool");
        }
    }

    /** Written, the bytes are the view's own memory, not a copy (the write holds a reference, given back here). */
    private static void assertWrittenUncopied(NettyEventLoop loop, ByteBuffer data) {
        ByteBuf written = loop.toWrite(data);
        try {
            assertEquals(ByteBufUtil.hexDump(Unpooled.wrappedBuffer(data.duplicate())), ByteBufUtil.hexDump(written));
            assertEquals(MemorySegment.ofBuffer(data).address(), MemorySegment.ofBuffer(written.nioBuffer()).address(),
                    "the memory the view shows, not a copy");
        } finally {
            written.release();
        }
    }

    private static byte[] bytes(int delivery) {
        byte[] bytes = new byte[SIZE];
        Arrays.fill(bytes, (byte) delivery);
        for (int i = 0; i < SIZE; i += 7) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Netty's NIO handler behind the bridge: enough for a loop that opens no channel. */
    private static final class NettyNioForTests implements NettyBackend {
        @Override
        public String name() {
            return "netty-nio-test";
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Channel newStreamChannel(SocketAddress address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerChannel newServerChannel(SocketAddress address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DatagramChannel newDatagramChannel(SocketAddress address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChannelOption<Boolean> reusePort() {
            throw new UnsupportedOperationException();
        }
    }
}
