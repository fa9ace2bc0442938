package dev.weft.vthreads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The sending half of a stream connection: a queue the loop appends to and a virtual thread that writes it out with
 * blocking writes, in order — buffers (several in one gathering write) and file regions ({@link FileChannel#transferTo},
 * the kernel's sendfile). Started with the first item, it parks while the queue is empty. A half-close is the loop's:
 * it shuts the output down once the writer has reported everything before it written.
 *
 * <p>The queue is lock-free and the thread parks when it finds it empty, so the loop's {@link #offer} never waits,
 * for the socket or for the thread: an offer and a take happen at every echo, and a lock with a condition cost a
 * queue node and a second acquisition per wait. Progress goes back to the loop as one coalesced report (bytes and items
 * done since the last one), so a fast socket does not flood the loop with callbacks; the loop's accounting of the
 * write buffer, and with it pause/resume, lives on the loop ({@link VirtualThreadStreamTransport}).
 *
 * <p>Heap buffers go out in slices of at most 256 KiB: the JDK copies a heap buffer into a temporary direct buffer of
 * the size written, so slicing bounds that copy.
 */
final class VirtualThreadWriter {
    /** What the loop hears, on the loop. */
    interface Listener {
        /** Bytes handed to the kernel, and queue items finished, since the last report. */
        void written(long bytes, int items);

        /** The next file region is done: this many bytes were sent (fewer than asked if the file ended). */
        void fileSent(long sent);

        /** A write failed; the writer has ended. */
        void writeFailed(IOException error);
    }

    /** A part of a file to send, its length already clamped to the file's end. */
    record FileRegion(FileChannel file, long position, long count) {
    }

    private static final int HEAP_SLICE = 256 * 1024;
    private static final int GATHER_MAX = 64;
    private static final int GATHER_BYTES = 1024 * 1024;
    private static final int FILE_CHUNK = 64 * 1024;

    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final Listener listener;
    private final String threadName;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped;
    private final ParkingSpot writer = new ParkingSpot();
    private final BooleanSupplier itemOrStopped = () -> !queue.isEmpty() || stopped;
    private boolean started; // loop only

    private final AtomicLong doneBytes = new AtomicLong();
    private final AtomicInteger doneItems = new AtomicInteger();
    private final AtomicBoolean reportPosted = new AtomicBoolean();

    VirtualThreadWriter(VirtualThreadEventLoop loop, SocketChannel channel, Listener listener, String threadName) {
        this.loop = loop;
        this.channel = channel;
        this.listener = listener;
        this.threadName = threadName;
    }

    /** Loop: queue a ByteBuffer or a {@link FileRegion}. Never blocks on the socket. */
    void offer(Object item) {
        if (stopped) {
            return;
        }
        queue.add(item); // an item that a stop racing this leaves behind is never written, as the stop wants
        if (!started) {
            started = true;
            loop.startIoThread(threadName, this::run);
        } else {
            writer.wake();
        }
    }

    /** Any thread: drop what is queued and end the thread; a write in progress ends when the socket closes. */
    void stop() {
        stopped = true;
        queue.clear();
        writer.wake();
    }

    // ---- the writer thread

    private void run() {
        ByteBuffer[] gather = new ByteBuffer[GATHER_MAX];
        List<ByteBuffer> batch = new ArrayList<>();
        try {
            while (true) {
                Object item = next(batch);
                if (item == null) {
                    return;
                }
                if (item == batch) {
                    writeBatch(batch, gather);
                } else {
                    long sent = transfer((FileRegion) item);
                    if (!loop.post(() -> listener.fileSent(sent))) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            if (!stopped) {
                loop.post(() -> listener.writeFailed(e));
            }
        }
    }

    /**
     * Wait for work: the batch itself, filled with the buffers at the head of the queue (up to 64 or 1 MiB), or the
     * file region at its head; null once stopped.
     */
    private Object next(List<ByteBuffer> batch) {
        writer.parkUntil(itemOrStopped);
        if (stopped) {
            return null;
        }
        if (!(queue.peek() instanceof ByteBuffer)) {
            return queue.poll();
        }
        long bytes = 0;
        while (batch.size() < GATHER_MAX && bytes < GATHER_BYTES && queue.peek() instanceof ByteBuffer
                && queue.poll() instanceof ByteBuffer buffer) { // a stop may have cleared the queue between the two
            batch.add(buffer);
            bytes += buffer.remaining();
        }
        return batch;
    }

    /**
     * Write the batch out, letting go of each buffer as soon as its last byte is out rather than when the whole batch
     * is: the loop counts written bytes off its write buffer as they are reported and lets its writer queue more, so
     * buffers kept here until the batch ended would come on top of the high water mark, for as long as a peer that
     * stopped reading likes (20 such peers held 2.75 chunks each instead of 2).
     */
    private void writeBatch(List<ByteBuffer> batch, ByteBuffer[] gather) throws IOException {
        int count = batch.size();
        boolean gatherable = count > 1;
        for (ByteBuffer buffer : batch) {
            gatherable &= buffer.isDirect() || buffer.remaining() <= HEAP_SLICE;
        }
        batch.toArray(gather);
        batch.clear(); // from here on only gather holds the buffers
        try {
            if (!gatherable) {
                for (int i = 0; i < count; i++) {
                    writeFully(gather[i]);
                    gather[i] = null;
                    report(0, 1);
                }
                return;
            }
            int first = 0;
            while (first < count) {
                long written = channel.write(gather, first, count - first);
                int finished = 0;
                while (first < count && !gather[first].hasRemaining()) {
                    gather[first++] = null;
                    finished++;
                }
                report(written, finished);
            }
        } finally {
            java.util.Arrays.fill(gather, 0, count, null);
        }
    }

    /** A blocking write may still return early on a virtual thread (the JDK retries only until some bytes went). */
    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int written;
            if (!buffer.isDirect() && buffer.remaining() > HEAP_SLICE) {
                written = channel.write(buffer.slice(buffer.position(), HEAP_SLICE));
                buffer.position(buffer.position() + written);
            } else {
                written = channel.write(buffer);
            }
            report(written, 0);
        }
    }

    /**
     * Send a file region: sendfile, or, should the JDK's transfer to this socket make no progress, the file's bytes
     * read in chunks and written. File bytes are not reported as written bytes: they never counted as buffered.
     */
    private long transfer(FileRegion region) throws IOException {
        long position = region.position();
        long remaining = region.count();
        long sent = 0;
        while (remaining > 0) {
            long n = region.file().transferTo(position, remaining, channel);
            if (n <= 0) {
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(FILE_CHUNK, remaining));
                n = region.file().read(chunk, position);
                if (n <= 0) {
                    break; // the file shrank: send what it had
                }
                chunk.flip();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            position += n;
            remaining -= n;
            sent += n;
        }
        return sent;
    }

    private void report(long bytes, int items) {
        doneBytes.addAndGet(bytes);
        doneItems.addAndGet(items);
        if (reportPosted.compareAndSet(false, true)) {
            loop.post(this::deliverReport);
        }
    }

    /** On the loop: everything done since the last report, in one call. */
    private void deliverReport() {
        reportPosted.set(false);
        long bytes = doneBytes.getAndSet(0);
        int items = doneItems.getAndSet(0);
        if (bytes != 0 || items != 0) {
            listener.written(bytes, items);
        }
    }
}
