package dev.weft.vthreads;

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
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected TCP or Unix domain socket on a {@link VirtualThreadEventLoop}: a blocking channel, a
 * {@link VirtualThreadReader} and a {@link VirtualThreadWriter}, each with a thread of its own, and every protocol
 * callback on the loop.
 *
 * <p><b>Reading:</b> the {@link VirtualThreadReader} reads a chunk only when the loop lets it, and the loop calls
 * {@code dataReceived} with it; the next read waits until the protocol has returned and still wants data. No
 * {@code dataReceived} follows {@link #pauseReading()}, and a paused protocol leaves the bytes in the kernel, which
 * stops the peer.
 *
 * <p><b>Writing:</b> {@link #write} queues the buffer for the writer thread and counts it in the write buffer; the
 * writer's reports of bytes handed to the kernel count it down. The protocol is paused when the count exceeds the high
 * water mark and resumed when it falls to the low one or below, as on nio. {@link #writeEof()} and {@link #close()}
 * take effect after what is queued; {@link #abort()} at once.
 *
 * <p><b>The end:</b> whatever ends the connection — our close or abort, the peer's reset, a callback that throws —
 * closes the channel (which ends both threads' blocking calls) and schedules {@code connectionLost} exactly once;
 * nothing is called back after it. I/O errors reach it as a {@link dev.weft.loop.BrokenResourceException}.
 *
 * <p>All state but the threads' hand-offs is confined to the loop.
 */
final class VirtualThreadStreamTransport implements StreamTransport, VirtualThreadEventLoop.Resource,
        VirtualThreadReader.Listener, VirtualThreadWriter.Listener {
    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final StreamProtocol protocol;
    private final VirtualThreadServer server; // the server that accepted it, or null for a client
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final VirtualThreadReader reader;
    private final VirtualThreadWriter writer;
    private final AtomicBoolean released = new AtomicBoolean();

    // ---- loop only
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private long buffered; // bytes written, not yet reported handed to the kernel
    private int outstanding; // queue items (buffers, files, shutdown) the writer has not reported done
    private final ArrayDeque<Future<Long>> fileResults = new ArrayDeque<>();
    private boolean writingPaused;
    private boolean eofWanted;
    private boolean closing;
    private boolean lost;
    private Throwable lostCause;

    VirtualThreadStreamTransport(VirtualThreadEventLoop loop, SocketChannel channel, StreamProtocol protocol,
                                 VirtualThreadServer server) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.server = server;
        this.localAddress = VirtualThreadSockets.addressOf(channel, true);
        this.remoteAddress = VirtualThreadSockets.addressOf(channel, false);
        this.reader = new VirtualThreadReader(loop, channel, this);
        this.writer = new VirtualThreadWriter(loop, channel, this,
                "weft-vthreads-write-" + VirtualThreadSockets.label(localAddress));
    }

    /**
     * On the loop: start the reader and call {@code connectionMade}; returns what it threw (the connection is then
     * aborted).
     */
    Throwable begin() {
        loop.register(this);
        reader.start("weft-vthreads-read-" + VirtualThreadSockets.label(localAddress));
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            lose(t);
            return t;
        }
        reader.grant();
        return null;
    }

    // ---- reading: the reader's callbacks, on the loop

    @Override
    public void deliver(ByteBuffer chunk) {
        loop.delivering(chunk);
        try {
            protocol.dataReceived(chunk);
        } catch (Throwable t) {
            protocolFailed("dataReceived", t);
        } finally {
            loop.delivering(null);
        }
    }

    @Override
    public void deliverEof() {
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

    @Override
    public void readFailed(IOException error) {
        lose(SocketErrors.broken(error, remoteAddress));
    }

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        reader.pause();
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        reader.resume();
    }

    @Override
    public boolean isReading() {
        return reader.isReading();
    }

    // ---- writing, on the loop

    @Override
    public void write(ByteBuffer data) {
        loop.checkNetworkConfined("write");
        Objects.requireNonNull(data, "data");
        checkWritable("write");
        if (!data.hasRemaining()) {
            return;
        }
        if (loop.isReadBuffer(data)) { // the echo idiom: the reader overwrites that buffer once the callback returns
            data = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        buffered += data.remaining();
        outstanding++;
        writer.offer(data);
        maybePauseProtocol();
    }

    @Override
    public Future<Long> sendFile(FileChannel file, long position, long count) {
        loop.checkNetworkConfined("sendFile");
        Objects.requireNonNull(file, "file");
        checkWritable("sendFile");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        Future<Long> result = loop.createFuture();
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            result.setException(e); // nothing was queued
            return result;
        }
        fileResults.add(result);
        outstanding++;
        writer.offer(new VirtualThreadWriter.FileRegion(file, position, Math.max(0, Math.min(count, size - position))));
        return result;
    }

    private void checkWritable(String operation) {
        if (closing) {
            throw closed(operation);
        }
        if (eofWanted) {
            throw new ClosedResourceException("cannot " + operation + " to "
                    + SocketErrors.describe(remoteAddress) + " after writeEof()");
        }
    }

    @Override
    public void written(long bytes, int items) {
        if (lost) {
            return;
        }
        buffered -= bytes;
        outstanding -= items;
        afterProgress();
    }

    @Override
    public void fileSent(long sent) {
        if (lost) {
            return;
        }
        outstanding--;
        Future<Long> result = fileResults.poll();
        if (result != null && !result.isDone()) {
            result.setResult(sent);
        }
        afterProgress();
    }

    @Override
    public void writeFailed(IOException error) {
        if (!lost) {
            lose(SocketErrors.broken(error, remoteAddress));
        }
    }

    /** The writer made progress: resume the protocol at the low water mark, then finish a close. */
    private void afterProgress() {
        if (writingPaused && buffered <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                protocolFailed("resumeWriting", t);
                return;
            }
        }
        if (closing && outstanding == 0 && !lost) {
            lose(null);
        }
    }

    private void maybePauseProtocol() {
        if (!writingPaused && buffered > highWater && !lost) {
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
        if (outstanding > 0) {
            outstanding++;
            writer.offer(VirtualThreadWriter.SHUTDOWN_OUTPUT); // after the data queued before it
            return;
        }
        try {
            channel.shutdownOutput(); // nothing is being written: shutdown(2) does not block
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

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        if (outstanding == 0) {
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
        buffered = 0;
        outstanding = 0;
        Throwable abandoned = cause != null ? cause : closed("send the file to");
        for (Future<Long> result : fileResults) {
            if (!result.isDone()) {
                result.setException(abandoned);
            }
        }
        fileResults.clear();
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

    /** Stop both threads and close the socket; closing it ends a read or write in progress. */
    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        reader.stop();
        writer.stop();
        VirtualThreadSockets.closeQuietly(channel);
        loop.forget(this);
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

    @Override
    public String toString() {
        return "VirtualThreadStreamTransport[" + SocketErrors.describe(localAddress) + " -> "
                + SocketErrors.describe(remoteAddress) + (lost ? ", lost" : closing ? ", closing" : "")
                + ", buffered=" + buffered + "]";
    }
}
