package dev.weft.vthreads;

import dev.weft.loop.Future;
import dev.weft.net.AbstractStreamTransport;
import dev.weft.net.ReadLease;
import dev.weft.net.StreamProtocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
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
final class VirtualThreadStreamTransport extends AbstractStreamTransport implements VirtualThreadEventLoop.Resource,
        VirtualThreadReader.Listener, VirtualThreadWriter.Listener {
    /** A queue item that holds no read buffer: a copy, a buffer of the program's own, a file region. */
    private static final Object NOT_HELD = new Object();

    private final VirtualThreadEventLoop vthreads;
    private final SocketChannel channel;
    private final VirtualThreadServer server; // the server that accepted it, or null for a client
    private final VirtualThreadReader reader;
    private final VirtualThreadWriter writer;
    private final AtomicBoolean released = new AtomicBoolean();

    // ---- loop only
    private long buffered; // bytes written, not yet reported handed to the kernel
    private final ArrayDeque<Future<Long>> fileResults = new ArrayDeque<>();
    // The queue items (buffers, files) the writer has not reported done, in order: the read buffer each holds, or NOT_HELD
    private final ArrayDeque<Object> writing = new ArrayDeque<>();

    VirtualThreadStreamTransport(VirtualThreadEventLoop loop, SocketChannel channel, StreamProtocol protocol,
                                 VirtualThreadServer server) {
        super(loop, protocol, VirtualThreadSockets.addressOf(channel, true),
                VirtualThreadSockets.addressOf(channel, false));
        this.vthreads = loop;
        this.channel = channel;
        this.server = server;
        this.reader = new VirtualThreadReader(loop, channel, this);
        this.writer = new VirtualThreadWriter(loop, channel, this,
                "weft-vthreads-write-" + VirtualThreadSockets.label(localAddress()));
    }

    /**
     * On the loop: start the reader and call {@code connectionMade}; returns what it threw (the connection is then
     * aborted).
     */
    Throwable begin() {
        vthreads.register(this);
        reader.start("weft-vthreads-read-" + VirtualThreadSockets.label(localAddress()));
        Throwable failed = callConnectionMade();
        if (failed == null) {
            reader.grant();
        }
        return failed;
    }

    // ---- reading: the reader's callbacks, on the loop

    @Override
    public void deliver(ByteBuffer chunk) {
        vthreads.deliveringChunk(reader.chunkBuffer());
        try {
            received(chunk);
        } finally {
            vthreads.deliveringChunk(null);
        }
    }

    /**
     * The delivered bytes are kept in the reader's buffer, which reads on into another, instead of copied, when they
     * are worth pinning it ({@link ChunkBuffer#worthHolding}); otherwise the default copy.
     */
    @Override
    public ReadLease keep(ByteBuffer delivered) {
        ChunkBuffer chunk = vthreads.holdableDelivery(delivered);
        return chunk == null ? super.keep(delivered)
                : new ChunkLease(vthreads, chunk, delivered.slice().asReadOnlyBuffer());
    }

    @Override
    public void deliverEof() {
        eofReceived();
    }

    @Override
    public void readFailed(IOException error) {
        broke(error);
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
    protected void writeData(ByteBuffer data) {
        ChunkBuffer source = vthreads.holdable(data);
        if (source != null) { // written from where it was read: the reader reads on into another buffer meanwhile
            source.hold();
            writing.add(source);
            ByteBuffer part = data.slice(); // its own position, which the writer thread moves
            data.position(data.limit());
            data = part;
        } else {
            if (vthreads.mustCopyToHold(data)) {
                data = ByteBuffer.allocate(data.remaining()).put(data).flip();
            }
            writing.add(NOT_HELD);
        }
        buffered += data.remaining();
        writer.offer(data);
    }

    @Override
    protected Future<Long> writeFile(FileChannel file, long position, long count) {
        Future<Long> result = loop.createFuture();
        long size;
        try {
            size = file.size();
        } catch (IOException e) {
            result.setException(e); // nothing was queued
            return result;
        }
        fileResults.add(result);
        writing.add(NOT_HELD);
        writer.offer(new VirtualThreadWriter.FileRegion(file, position, Math.max(0, Math.min(count, size - position))));
        return result;
    }

    @Override
    public void written(long bytes, int items) {
        if (isLost()) {
            return;
        }
        buffered -= bytes;
        finished(items);
        drained();
    }

    /** The writer finished this many queue items: the read buffers they held may be read into again. */
    private void finished(int items) {
        for (int i = 0; i < items; i++) {
            if (writing.poll() instanceof ChunkBuffer source) {
                source.letGo();
            }
        }
    }

    @Override
    public void fileSent(long sent) {
        if (isLost()) {
            return;
        }
        finished(1);
        Future<Long> result = fileResults.poll();
        if (result != null && !result.isDone()) {
            result.setResult(sent);
        }
        drained();
    }

    @Override
    public void writeFailed(IOException error) {
        broke(error);
    }

    @Override
    protected long bufferedBytes() {
        return buffered;
    }

    @Override
    protected boolean writesPending() {
        return !writing.isEmpty();
    }

    /** Closed gracefully, with writes its writer thread has not reported done yet. Loop only. */
    boolean flushingBeforeClose() {
        return isClosing() && !isLost() && writesPending();
    }

    /** Nothing is being written (the writer is idle), so shutdown(2) does not block. */
    @Override
    protected void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            broke(e);
        }
    }

    // ---- closing

    @Override
    protected void letGo(Throwable cause) {
        buffered = 0;
        for (Object item : writing) {
            if (item instanceof ChunkBuffer source) {
                source.retire(); // the writer thread may still be reading it
            }
        }
        writing.clear();
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
        vthreads.forget(this);
    }

    /** The socket, for tests of the options applied to it. */
    SocketChannel channel() {
        return channel;
    }
}
