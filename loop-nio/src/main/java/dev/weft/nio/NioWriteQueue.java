package dev.weft.nio;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a transport has accepted but the socket has not: a queue of the callers' own buffers (no copy, the
 * transport owns them), and their total. Writing hands the kernel up to {@link NioEventLoop#GATHER_MAX} buffers in one
 * gathering write.
 *
 * <p>Heap buffers are written in slices of at most 256 KiB: the JDK copies a heap buffer into a temporary direct
 * buffer of its full size (and caches that buffer per thread), while the kernel takes a few MiB per write at most, so
 * a 10 MiB heap buffer would be copied whole on every attempt.
 */
final class NioWriteQueue {
    private static final int HEAP_SLICE = 256 * 1024;
    /** A gathering write stops adding buffers once it has this many bytes: more would only be copied for nothing. */
    private static final int GATHER_BYTES = 1024 * 1024;

    private final NioEventLoop loop;
    private final ArrayDeque<Object> buffers = new ArrayDeque<>(); // ByteBuffers, and NioFileRegions in their turn
    private long size;

    NioWriteQueue(NioEventLoop loop) {
        this.loop = loop;
    }

    boolean isEmpty() {
        return buffers.isEmpty();
    }

    /** The bytes queued. */
    long size() {
        return size;
    }

    /**
     * Queue what remains of the buffer. The loop's read buffer is copied: the echo idiom writes back what it received,
     * and the next read would overwrite it. So is a view a lending reader may have lent, this loop's ({@link NioLease})
     * included: it goes back to its pool at the reader's next read. Holding the lease's buffer until written instead
     * was not worth its code: the 100 KiB streams echo queued no lent view in over a million reads (EchoBench, 10 and
     * 100 connections), as the socket took every write whole.
     */
    void add(ByteBuffer data) {
        size += data.remaining();
        buffers.add(loop.mustCopyToHold(data) ? copyOf(data) : data);
    }

    /** Queue a file region after what is queued; its bytes are not counted in {@link #size()}: they are not in memory. */
    void addFile(NioFileRegion region) {
        buffers.add(region);
    }

    /** Drop everything; file regions fail with the cause. */
    void clear(Throwable cause) {
        for (Object queued : buffers) {
            if (queued instanceof NioFileRegion region) {
                region.abandon(cause);
            }
        }
        buffers.clear();
        size = 0;
    }

    /** Write until the queue is empty or the socket full; true if it is empty. */
    boolean writeTo(SocketChannel channel) throws IOException {
        while (!buffers.isEmpty()) {
            boolean done;
            if (buffers.peek() instanceof NioFileRegion region) {
                done = region.transferTo(channel);
                if (done) {
                    buffers.poll();
                }
            } else {
                done = buffers.size() == 1 ? writeHead(channel) : writeGathered(channel);
            }
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /** Write one buffer until the socket is full or the buffer empty. */
    static void writeSome(SocketChannel channel, ByteBuffer data) throws IOException {
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

    private boolean writeHead(SocketChannel channel) throws IOException {
        ByteBuffer head = (ByteBuffer) buffers.peek();
        int before = head.remaining();
        writeSome(channel, head);
        size -= before - head.remaining();
        if (head.hasRemaining()) {
            return false;
        }
        buffers.poll();
        return true;
    }

    /** One gathering write; true if the socket took all of it. */
    private boolean writeGathered(SocketChannel channel) throws IOException {
        ByteBuffer[] out = loop.gatherBuffers();
        int count = 0;
        long attempted = 0;
        for (Object entry : buffers) {
            if (count == out.length || attempted >= GATHER_BYTES || !(entry instanceof ByteBuffer queued)) {
                break; // a file region goes out in a write of its own
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
        try {
            long written = channel.write(out, 0, count);
            size -= written;
            for (int i = 0; i < count; i++) {
                ByteBuffer queued = (ByteBuffer) buffers.peek();
                if (out[i] != queued) { // a slice: move the buffer behind it on by what the slice gave
                    queued.position(queued.position() + out[i].position());
                }
                if (queued.hasRemaining()) {
                    break;
                }
                buffers.poll();
            }
            return written == attempted;
        } finally {
            Arrays.fill(out, 0, count, null);
        }
    }

    /**
     * A direct copy: the JDK writes a heap buffer through a temporary direct copy on every attempt, so a large echo
     * the socket takes in pieces would be copied again for each piece (100 KiB echo: 2.07x raw Netty NIO's CPU per
     * request with a heap copy, 1.48x with this, EchoBench --sizes 102400 --connections 10).
     */
    private static ByteBuffer copyOf(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocateDirect(data.remaining());
        copy.put(data).flip();
        return copy;
    }
}
