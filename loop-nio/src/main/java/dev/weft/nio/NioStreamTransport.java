package dev.weft.nio;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.ProtocolCalls;
import dev.weft.net.SocketErrors;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A connected TCP or Unix domain socket on a {@link NioEventLoop}, as asyncio's selector transport.
 *
 * <p><b>Reading:</b> while the protocol wants data the key has {@code OP_READ}; one read per selection into the loop's
 * direct buffer, which {@code dataReceived} sees only for the duration of the call. End of stream removes
 * {@code OP_READ} and asks {@code eofReceived} whether to stay open for writing.
 *
 * <p><b>Writing:</b> with nothing queued, {@link #write} writes at once, without a selector round trip; what the
 * socket does not take goes to the {@link NioWriteQueue}, {@code OP_WRITE} is set, and each write-ready selection
 * writes the queue out as far as the socket takes it. The protocol is paused when the queued bytes exceed the high
 * water mark, resumed when they fall to the low one or below. {@link #writeEof()} and {@link #close()} wait for the
 * queue to drain; {@link #abort()} does not.
 *
 * <p><b>The end:</b> whatever ends the connection — our close or abort, the peer's reset, a protocol callback that
 * throws — closes the channel at once and schedules {@code connectionLost} exactly once; nothing is called back after
 * it. I/O errors reach it as {@link dev.weft.loop.BrokenResourceException} around the JDK's exception; a callback's
 * own exception also goes to the loop's exception handler.
 *
 * <p>Methods that change the transport are confined to the loop; queries may be called anywhere but see the loop's
 * state only as of the last time the caller synchronized with it.
 */
final class NioStreamTransport implements StreamTransport, NioEventLoop.Handler {
    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final StreamProtocol protocol;
    private final NioServer server; // the server that accepted it, or null for a client
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;

    private final NioWriteQueue writeQueue;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean writingPaused; // the protocol was told to pause
    private boolean reading = true; // the protocol wants data
    private boolean eofReceived;
    private boolean eofWanted; // writeEof() was called
    private boolean closing;
    private boolean lost; // connectionLost is scheduled; nothing else is called back
    private Throwable lostCause;
    private int interestOps;

    /** Takes over the channel's key; the protocol hears of it at {@link #begin()}. */
    NioStreamTransport(NioEventLoop loop, SocketChannel channel, SelectionKey key, StreamProtocol protocol,
                       NioServer server) {
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.protocol = protocol;
        this.server = server;
        this.writeQueue = new NioWriteQueue(loop);
        this.localAddress = addressOf(channel, true);
        this.remoteAddress = addressOf(channel, false);
        key.attach(this);
    }

    /** Start reading and call {@code connectionMade}; returns what it threw (the connection is then aborted). */
    Throwable begin() {
        updateInterest();
        try {
            protocol.connectionMade(this);
            return null;
        } catch (Throwable t) {
            lose(t);
            return t;
        }
    }

    // ---- writing

    @Override
    public void write(ByteBuffer data) {
        loop.checkNetworkConfined("write");
        Objects.requireNonNull(data, "data");
        if (closing) {
            throw closed("write");
        }
        if (eofWanted) {
            throw new ClosedResourceException("cannot write to " + SocketErrors.describe(remoteAddress)
                    + " after writeEof()");
        }
        if (!data.hasRemaining()) {
            return;
        }
        boolean wasEmpty = writeQueue.isEmpty();
        if (wasEmpty) {
            try {
                NioWriteQueue.writeSome(channel, data);
            } catch (IOException e) {
                lose(SocketErrors.broken(e, remoteAddress));
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
        maybePauseProtocol();
    }

    @Override
    public Future<Long> sendFile(FileChannel file, long position, long count) {
        loop.checkNetworkConfined("sendFile");
        Objects.requireNonNull(file, "file");
        if (closing) {
            throw closed("sendFile");
        }
        if (eofWanted) {
            throw new ClosedResourceException("cannot send a file to " + SocketErrors.describe(remoteAddress)
                    + " after writeEof()");
        }
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

    /** The socket can take more: write the queue, resume the protocol, then finish a writeEof or close. */
    private void flush() {
        try {
            writeQueue.writeTo(channel);
        } catch (IOException e) {
            lose(SocketErrors.broken(e, remoteAddress));
            return;
        }
        updateInterest();
        if (writingPaused && writeQueue.size() <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                protocolFailed("resumeWriting", t);
                return;
            }
        }
        if (writeQueue.isEmpty() && !lost) {
            if (closing) {
                lose(null);
            } else if (eofWanted) {
                shutdownOutput();
            }
        }
    }

    private void maybePauseProtocol() {
        if (!writingPaused && writeQueue.size() > highWater) {
            writingPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable t) {
                protocolFailed("pauseWriting", t);
            }
        }
    }

    @Override
    public void writeEof() {
        loop.checkNetworkConfined("writeEof");
        if (closing) {
            throw closed("writeEof");
        }
        if (eofWanted) {
            return;
        }
        eofWanted = true;
        if (writeQueue.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            lose(SocketErrors.broken(e, remoteAddress));
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int writeBufferSize() {
        return (int) Math.min(writeQueue.size(), Integer.MAX_VALUE);
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        loop.checkNetworkConfined("setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("write buffer limits must satisfy 0 <= low <= high; got high=" + high
                    + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    // ---- reading

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        if (reading && !closing) {
            reading = false;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        if (!reading && !closing) {
            reading = true;
            updateInterest();
        }
    }

    @Override
    public boolean isReading() {
        return reading && !closing;
    }

    private void read() {
        ByteBuffer buffer = loop.readBuffer();
        int count;
        try {
            count = channel.read(buffer);
        } catch (IOException e) {
            lose(SocketErrors.broken(e, remoteAddress));
            return;
        }
        if (count > 0) {
            buffer.flip();
            try {
                protocol.dataReceived(buffer);
            } catch (Throwable t) {
                protocolFailed("dataReceived", t);
            }
        } else if (count < 0) {
            eofReceived = true;
            updateInterest();
            boolean keepOpen;
            try {
                keepOpen = protocol.eofReceived();
            } catch (Throwable t) {
                protocolFailed("eofReceived", t);
                return;
            }
            if (!keepOpen) {
                close();
            }
        }
    }

    // ---- the selector's side

    @Override
    public void accept(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && (interestOps & SelectionKey.OP_READ) != 0) {
            read();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && (interestOps & SelectionKey.OP_WRITE) != 0 && !lost) {
            flush();
        }
    }

    private void updateInterest() {
        if (lost) {
            return;
        }
        int ops = (reading && !closing && !eofReceived ? SelectionKey.OP_READ : 0)
                | (writeQueue.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        updateInterest();
        if (writeQueue.isEmpty()) {
            lose(null);
        }
    }

    @Override
    public void abort() {
        loop.checkNetworkConfined("abort");
        lose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** End the connection now and schedule connectionLost(cause), once. */
    private void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        lostCause = cause;
        writeQueue.clear(cause != null ? cause : closed("send the file to"));
        interestOps = 0;
        release();
        if (server != null) {
            server.forget(this);
        }
        ProtocolCalls.connectionLostSoon(loop, () -> protocol.connectionLost(cause), t -> report("connectionLost", t));
    }

    private void protocolFailed(String callback, Throwable error) {
        report(callback, error);
        lose(error);
    }

    private void report(String callback, Throwable error) {
        ProtocolCalls.reportThrew(loop, callback, "connection with " + SocketErrors.describe(remoteAddress),
                "connection", error);
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

    private ClosedResourceException closed(String operation) {
        return SocketErrors.closed(operation, remoteAddress, lostCause);
    }

    // ---- identity

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
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

    @Override
    public String toString() {
        return "NioStreamTransport[" + SocketErrors.describe(localAddress) + " -> " + SocketErrors.describe(remoteAddress)
                + (lost ? ", lost" : closing ? ", closing" : "") + ", buffered=" + writeQueue.size() + "]";
    }
}
