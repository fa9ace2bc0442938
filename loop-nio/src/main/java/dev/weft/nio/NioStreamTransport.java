package dev.weft.nio;

import dev.weft.loop.Future;
import dev.weft.net.AbstractStreamTransport;
import dev.weft.net.ReadLease;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connected TCP or Unix domain socket on a {@link NioEventLoop}, as asyncio's selector transport. The life cycle,
 * water marks and callbacks are {@link AbstractStreamTransport}'s; this class does the selector's I/O.
 *
 * <p><b>Reading:</b> while the protocol wants data the key has {@code OP_READ}; one read per selection into the loop's
 * direct buffer, which {@code dataReceived} sees only for the duration of the call, unless a lending reader keeps it
 * ({@link #keep}: the loop then reads on after those bytes, or into a spare). End of stream removes
 * {@code OP_READ} and asks {@code eofReceived} whether to stay open for writing.
 *
 * <p><b>Writing:</b> with nothing queued, a write goes out at once, without a selector round trip; what the socket
 * does not take goes to the {@link NioWriteQueue}, {@code OP_WRITE} is set, and each write-ready selection writes the
 * queue out as far as the socket takes it.
 */
final class NioStreamTransport extends AbstractStreamTransport implements NioSelection.Ready {
    private final NioEventLoop nio;
    private final SocketChannel channel;
    private final NioSelection selection;
    private final NioServer server; // the server that accepted it, or null for a client
    private final NioWriteQueue writeQueue;
    private boolean reading = true; // the protocol wants data
    private boolean eofSeen;

    /** Takes over the channel's key; the protocol hears of it at {@link #begin()}. */
    NioStreamTransport(NioEventLoop loop, SocketChannel channel, SelectionKey key, StreamProtocol protocol,
                       NioServer server) {
        super(loop, protocol, NioSelection.address(channel::getLocalAddress),
                NioSelection.address(channel::getRemoteAddress));
        this.nio = loop;
        this.channel = channel;
        this.server = server;
        this.writeQueue = new NioWriteQueue(loop);
        this.selection = new NioSelection(key, this);
    }

    /** Start reading and call {@code connectionMade}; returns what it threw (the connection is then aborted). */
    Throwable begin() {
        updateInterest();
        return callConnectionMade();
    }

    // ---- writing

    @Override
    protected void writeData(ByteBuffer data) {
        boolean wasEmpty = writeQueue.isEmpty();
        if (wasEmpty) {
            try {
                NioWriteQueue.writeSome(channel, data);
            } catch (IOException e) {
                broke(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        writeQueue.add(data);
        if (wasEmpty) {
            updateInterest();
        }
    }

    @Override
    protected Future<Long> writeFile(FileChannel file, long position, long count) {
        Future<Long> result = loop.createFuture();
        try {
            writeQueue.addFile(new NioFileRegion(file, position, count, result));
        } catch (IOException e) {
            result.setException(e); // the file's size could not be read: nothing was queued
            return result;
        }
        writable();
        return result;
    }

    /** The socket can take more: write the queue, then let the base resume the protocol or finish a close. */
    @Override
    public void writable() {
        try {
            writeQueue.writeTo(channel);
        } catch (IOException e) {
            broke(e);
            return;
        }
        updateInterest();
        drained();
    }

    @Override
    protected long bufferedBytes() {
        return writeQueue.size();
    }

    @Override
    protected boolean writesPending() {
        return !writeQueue.isEmpty();
    }

    @Override
    protected void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            broke(e);
        }
    }

    // ---- reading

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        if (reading && !isClosing()) {
            reading = false;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        if (!reading && !isClosing()) {
            reading = true;
            updateInterest();
        }
    }

    @Override
    public boolean isReading() {
        return reading && !isClosing();
    }

    @Override
    public void readable() {
        ByteBuffer buffer = nio.readBuffer();
        int count;
        try {
            count = channel.read(buffer);
        } catch (IOException e) {
            broke(e);
            return;
        }
        if (count > 0) {
            buffer.flip();
            received(buffer);
        } else if (count < 0) {
            eofSeen = true;
            updateInterest();
            eofReceived();
        }
    }

    /**
     * The delivered bytes are lent where the loop read them instead of copied, when they are worth pinning a buffer and
     * the loop has room left to read on into (see {@link NioReadBuffers}); otherwise the default copy.
     */
    @Override
    public ReadLease keep(ByteBuffer delivered) {
        ReadLease lease = nio.lend(delivered);
        return lease != null ? lease : super.keep(delivered);
    }

    private void updateInterest() {
        selection.interest(reading && !isClosing() && !eofSeen, !writeQueue.isEmpty());
    }

    // ---- closing

    @Override
    protected void closingStarted() {
        updateInterest();
    }

    @Override
    protected void letGo(Throwable cause) {
        writeQueue.clear(cause != null ? cause : closed("send the file to"));
        selection.release();
        if (server != null) {
            server.forget(this);
        }
    }

    /** The socket, for tests of the options applied to it. */
    SocketChannel channel() {
        return channel;
    }
}
