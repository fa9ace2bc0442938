package dev.weft.vthreads;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.UnhandledError;
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
 * A connected TCP or Unix domain socket on a {@link VirtualThreadEventLoop}: a blocking channel, a reader thread and a
 * {@link VirtualThreadWriter}, with every protocol callback on the loop.
 *
 * <p><b>Reading:</b> the reader thread reads a chunk (16 KiB, growing to asyncio's 256 KiB while reads fill it) only
 * when the loop has granted it a {@link ReadPermit}, and posts the chunk to the loop. The loop calls
 * {@code dataReceived} and grants the next read once the protocol has returned and still wants data. A chunk that
 * arrives after {@link #pauseReading()} is held back until {@link #resumeReading()}, so no {@code dataReceived}
 * follows a pause, and a paused protocol leaves the bytes in the kernel, which stops the peer.
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
        VirtualThreadWriter.Listener {
    private static final int FIRST_READ = 16 * 1024;
    private static final int MAX_READ = 256 * 1024;
    /** The held-back end of stream, in the place of a held-back chunk. */
    private static final Object EOF = new Object();

    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final StreamProtocol protocol;
    private final VirtualThreadServer server; // the server that accepted it, or null for a client
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final ReadPermit readPermit = new ReadPermit();
    private final VirtualThreadWriter writer;
    private final AtomicBoolean released = new AtomicBoolean();

    // ---- loop only
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private long buffered; // bytes written, not yet reported handed to the kernel
    private int outstanding; // queue items (buffers, files, shutdown) the writer has not reported done
    private final ArrayDeque<Future<Long>> fileResults = new ArrayDeque<>();
    private boolean writingPaused;
    private boolean reading = true;
    private Object heldBack; // a chunk or EOF that arrived while reading was paused
    private boolean heldBackScheduled;
    private boolean readerEnded;
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
        String label = VirtualThreadSockets.label(localAddress);
        this.writer = new VirtualThreadWriter(loop, channel, this, "weft-vthreads-write-" + label);
    }

    /** On the loop: start the reader and call {@code connectionMade}; returns what it threw (the connection is then aborted). */
    Throwable begin() {
        loop.register(this);
        loop.startIoThread("weft-vthreads-read-" + VirtualThreadSockets.label(localAddress), this::readLoop);
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            lose(t);
            return t;
        }
        grantRead();
        return null;
    }

    // ---- the reader thread

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(FIRST_READ);
        while (readPermit.await()) {
            buffer.clear();
            int count;
            try {
                count = channel.read(buffer);
            } catch (IOException e) {
                if (!readPermit.isStopped()) {
                    loop.post(() -> readFailed(e));
                }
                return;
            }
            if (count < 0) {
                loop.post(this::eofArrived);
                return;
            }
            ByteBuffer chunk = buffer.flip();
            if (!loop.post(() -> chunkArrived(chunk))) {
                return;
            }
            if (count == buffer.capacity() && buffer.capacity() < MAX_READ) {
                buffer = ByteBuffer.allocateDirect(buffer.capacity() * 4); // the loop still reads the old one
            }
        }
    }

    // ---- reading, on the loop

    private void chunkArrived(ByteBuffer chunk) {
        readPermit.answered();
        if (closing) {
            return; // closing stops reading, as on nio: what still arrives is dropped
        }
        if (!reading) {
            heldBack = chunk;
            return;
        }
        deliver(chunk);
    }

    private void deliver(ByteBuffer chunk) {
        if (chunk.hasRemaining()) {
            loop.delivering(chunk);
            try {
                protocol.dataReceived(chunk);
            } catch (Throwable t) {
                protocolFailed("dataReceived", t);
                return;
            } finally {
                loop.delivering(null);
            }
        }
        grantRead();
    }

    private void eofArrived() {
        readPermit.answered();
        readerEnded = true;
        if (closing) {
            return;
        }
        if (!reading) {
            heldBack = EOF;
            return;
        }
        eofReceived();
    }

    private void eofReceived() {
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

    private void readFailed(IOException error) {
        readPermit.answered();
        readerEnded = true;
        lose(VirtualThreadErrors.broken(error, remoteAddress));
    }

    /** Let the reader read once more if the protocol wants data and nothing is held back. */
    private void grantRead() {
        if (reading && !closing && heldBack == null && !readerEnded) {
            readPermit.grant();
        }
    }

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        if (reading && !closing) {
            reading = false; // a read in flight is held back when it arrives
        }
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        if (reading || closing) {
            return;
        }
        reading = true;
        if (heldBack == null) {
            grantRead();
        } else if (!heldBackScheduled) {
            heldBackScheduled = true; // delivered from the loop, not from inside the caller
            loop.callSoon(this::deliverHeldBack);
        }
    }

    private void deliverHeldBack() {
        heldBackScheduled = false;
        if (closing || !reading || heldBack == null) {
            return;
        }
        Object held = heldBack;
        heldBack = null;
        if (held == EOF) {
            eofReceived();
        } else {
            deliver((ByteBuffer) held);
        }
    }

    @Override
    public boolean isReading() {
        return reading && !closing;
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
                    + VirtualThreadErrors.describe(remoteAddress) + " after writeEof()");
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
            lose(VirtualThreadErrors.broken(error, remoteAddress));
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
            lose(VirtualThreadErrors.broken(e, remoteAddress));
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
        heldBack = null;
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
        heldBack = null;
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
                + VirtualThreadErrors.describe(remoteAddress) + " threw; the connection is aborted", error));
    }

    /** Stop both threads and close the socket; closing it ends a read or write in progress. */
    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        readPermit.stop();
        writer.stop();
        VirtualThreadSockets.closeQuietly(channel);
        loop.forget(this);
    }

    private ClosedResourceException closed(String operation) {
        ClosedResourceException error = new ClosedResourceException(operation + ": the connection with "
                + VirtualThreadErrors.describe(remoteAddress) + (lostCause == null ? " is closed" : " broke"));
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

    @Override
    public String toString() {
        return "VirtualThreadStreamTransport[" + VirtualThreadErrors.describe(localAddress) + " -> "
                + VirtualThreadErrors.describe(remoteAddress) + (lost ? ", lost" : closing ? ", closing" : "")
                + ", buffered=" + buffered + "]";
    }
}
