package dev.weft.nio;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.UnhandledError;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connected TCP or Unix domain socket on a {@link NioEventLoop}, as asyncio's selector transport.
 *
 * <p><b>Reading:</b> while the protocol wants data the key has {@code OP_READ}; one read per selection into the loop's
 * direct buffer, which {@code dataReceived} sees only for the duration of the call. End of stream removes
 * {@code OP_READ} and asks {@code eofReceived} whether to stay open for writing.
 *
 * <p><b>Writing:</b> with nothing queued, {@link #write} writes at once, without a selector round trip; what the
 * socket does not take is queued, {@code OP_WRITE} is set, and each write-ready selection hands the kernel up to
 * {@link NioEventLoop#GATHER_MAX} queued buffers in one gathering write. The protocol is paused when the queued bytes
 * exceed the high water mark, resumed when they fall to the low one or below. {@link #writeEof()} and {@link #close()}
 * wait for the queue to drain; {@link #abort()} does not.
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
    /**
     * The largest piece of a heap buffer handed to one write: the JDK copies heap buffers into a temporary direct
     * buffer of the full size (and caches it per thread), and the kernel takes a few MiB at most anyway.
     */
    private static final int HEAP_SLICE = 256 * 1024;
    /** A gathering write stops adding buffers once it has this many bytes: more would only be copied for nothing. */
    private static final int GATHER_BYTES = 1024 * 1024;

    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final StreamProtocol protocol;
    private final NioServer server; // the server that accepted it, or null for a client
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;

    private final ArrayDeque<ByteBuffer> writeQueue = new ArrayDeque<>();
    private long buffered;
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
            throw new ClosedResourceException("cannot write to " + NioErrors.describe(remoteAddress)
                    + " after writeEof()");
        }
        if (!data.hasRemaining()) {
            return;
        }
        boolean wasEmpty = writeQueue.isEmpty();
        if (wasEmpty) {
            try {
                writeSome(data);
            } catch (IOException e) {
                lose(NioErrors.broken(e, remoteAddress));
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
        }
        // The echo idiom writes back what it received; the loop's read buffer must not be queued, or the next
        // read would overwrite it.
        buffered += data.remaining();
        writeQueue.add(loop.isReadBuffer(data) ? copyOf(data) : data);
        if (wasEmpty) {
            updateInterest();
        }
        maybePauseProtocol();
    }

    /** Write until the socket is full or the buffer empty; heap buffers go in slices of at most 256 KiB. */
    private void writeSome(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            int want = data.isDirect() ? data.remaining() : Math.min(data.remaining(), HEAP_SLICE);
            int written;
            if (want == data.remaining()) {
                written = channel.write(data);
            } else {
                written = channel.write(data.slice(data.position(), want));
                data.position(data.position() + written);
            }
            if (written < want) {
                return;
            }
        }
    }

    /** The socket can take more: write the queue, resume the protocol, then finish a writeEof or close. */
    private void flush() {
        try {
            while (!writeQueue.isEmpty() && (writeQueue.size() == 1 ? writeHead() : writeGathered())) {
                // each round wrote everything it tried; try again until the queue is empty or the socket full
            }
        } catch (IOException e) {
            lose(NioErrors.broken(e, remoteAddress));
            return;
        }
        updateInterest();
        if (writingPaused && buffered <= lowWater) {
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

    private boolean writeHead() throws IOException {
        ByteBuffer head = writeQueue.peek();
        int before = head.remaining();
        writeSome(head);
        buffered -= before - head.remaining();
        if (head.hasRemaining()) {
            return false;
        }
        writeQueue.poll();
        return true;
    }

    private boolean writeGathered() throws IOException {
        ByteBuffer[] out = loop.gatherBuffers();
        int count = 0;
        long attempted = 0;
        for (ByteBuffer queued : writeQueue) {
            if (count == out.length || attempted >= GATHER_BYTES) {
                break;
            }
            if (!queued.isDirect() && queued.remaining() > HEAP_SLICE) {
                // A slice leaves the rest of its buffer behind, so nothing after it may go in this write.
                out[count++] = queued.slice(queued.position(), HEAP_SLICE);
                attempted += HEAP_SLICE;
                break;
            }
            out[count++] = queued;
            attempted += queued.remaining();
        }
        long written;
        try {
            written = channel.write(out, 0, count);
            buffered -= written;
            for (int i = 0; i < count; i++) {
                ByteBuffer queued = writeQueue.peek();
                if (out[i] != queued) { // a slice: move the buffer behind it on by what the slice gave
                    queued.position(queued.position() + out[i].position());
                }
                if (queued.hasRemaining()) {
                    break;
                }
                writeQueue.poll();
            }
        } finally {
            Arrays.fill(out, 0, count, null);
        }
        return written == attempted;
    }

    private void maybePauseProtocol() {
        if (!writingPaused && buffered > highWater) {
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
            lose(NioErrors.broken(e, remoteAddress));
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int writeBufferSize() {
        return (int) Math.min(buffered, Integer.MAX_VALUE);
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
            lose(NioErrors.broken(e, remoteAddress));
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
        writeQueue.clear();
        buffered = 0;
        interestOps = 0;
        release();
        if (server != null) {
            server.forget(this);
        }
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(cause);
            } catch (Throwable t) {
                report("connectionLost", t);
            }
        });
    }

    private void protocolFailed(String callback, Throwable error) {
        report(callback, error);
        lose(error);
    }

    private void report(String callback, Throwable error) {
        loop.callExceptionHandler(new UnhandledError("protocol." + callback + "() of the connection with "
                + NioErrors.describe(remoteAddress) + " threw; the connection is aborted", error));
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
        ClosedResourceException error = new ClosedResourceException(operation + ": the connection with "
                + NioErrors.describe(remoteAddress) + (lostCause == null ? " is closed" : " broke"));
        if (lostCause != null) {
            error.initCause(lostCause);
        }
        return error;
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

    private static ByteBuffer copyOf(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        return copy;
    }

    @Override
    public String toString() {
        return "NioStreamTransport[" + NioErrors.describe(localAddress) + " -> " + NioErrors.describe(remoteAddress)
                + (lost ? ", lost" : closing ? ", closing" : "") + ", buffered=" + buffered + "]";
    }
}
