package dev.weft.nio;

import dev.weft.loop.Future;
import dev.weft.net.AbstractStreamTransport;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connected TCP or Unix domain socket on a {@link NioEventLoop}, as asyncio's selector transport. The life cycle,
 * water marks and callbacks are {@link AbstractStreamTransport}'s; this class does the selector's I/O.
 *
 * <p><b>Reading:</b> while the protocol wants data the key has {@code OP_READ}; one read per selection into the loop's
 * direct buffer, which {@code dataReceived} sees only for the duration of the call. End of stream removes
 * {@code OP_READ} and asks {@code eofReceived} whether to stay open for writing.
 *
 * <p><b>Writing:</b> with nothing queued, a write goes out at once, without a selector round trip; what the socket
 * does not take goes to the {@link NioWriteQueue}, {@code OP_WRITE} is set, and each write-ready selection writes the
 * queue out as far as the socket takes it.
 */
final class NioStreamTransport extends AbstractStreamTransport implements NioEventLoop.Handler {
    private final NioEventLoop nio;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final NioServer server; // the server that accepted it, or null for a client
    private final NioWriteQueue writeQueue;
    private boolean reading = true; // the protocol wants data
    private boolean eofSeen;
    private int interestOps;

    /** Takes over the channel's key; the protocol hears of it at {@link #begin()}. */
    NioStreamTransport(NioEventLoop loop, SocketChannel channel, SelectionKey key, StreamProtocol protocol,
                       NioServer server) {
        super(loop, protocol, addressOf(channel, true), addressOf(channel, false));
        this.nio = loop;
        this.channel = channel;
        this.key = key;
        this.server = server;
        this.writeQueue = new NioWriteQueue(loop);
        key.attach(this);
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
        flush();
        return result;
    }

    /** The socket can take more: write the queue, then let the base resume the protocol or finish a close. */
    private void flush() {
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

    private void read() {
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

    // ---- the selector's side

    @Override
    public void accept(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && (interestOps & SelectionKey.OP_READ) != 0) {
            read();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && (interestOps & SelectionKey.OP_WRITE) != 0 && !isLost()) {
            flush();
        }
    }

    private void updateInterest() {
        if (isLost()) {
            return;
        }
        int ops = (reading && !isClosing() && !eofSeen ? SelectionKey.OP_READ : 0)
                | (writeQueue.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- closing

    @Override
    protected void closingStarted() {
        updateInterest();
    }

    @Override
    protected void letGo(Throwable cause) {
        writeQueue.clear(cause != null ? cause : closed("send the file to"));
        interestOps = 0;
        release();
        if (server != null) {
            server.forget(this);
        }
    }

    @Override
    public void release() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a socket fails only if it was never open; nothing is lost
        }
    }

    /** The socket, for tests of the options applied to it. */
    SocketChannel channel() {
        return channel;
    }

    private static SocketAddress addressOf(SocketChannel channel, boolean local) {
        try {
            return local ? channel.getLocalAddress() : channel.getRemoteAddress();
        } catch (IOException e) {
            return null; // already closed: the transport will find out on its first read
        }
    }
}
