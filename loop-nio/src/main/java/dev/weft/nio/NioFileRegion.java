package dev.weft.nio;

import dev.weft.loop.Future;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * A part of a file queued for a socket: written with {@link FileChannel#transferTo}, which Linux turns into
 * {@code sendfile(2)}, so the bytes go from the page cache to the socket without passing through the Java heap.
 */
final class NioFileRegion {
    private final FileChannel file;
    private final Future<Long> result;
    private long position;
    private long remaining;
    private long sent;

    /** The region from position, clamped to the file's end. */
    NioFileRegion(FileChannel file, long position, long count, Future<Long> result) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        this.file = file;
        this.result = result;
        this.position = position;
        this.remaining = Math.max(0, Math.min(count, file.size() - position));
    }

    /** Send until done or the socket is full; true when done (the result is then set). */
    boolean transferTo(SocketChannel channel) throws IOException {
        while (remaining > 0) {
            long n = file.transferTo(position, remaining, channel);
            if (n == 0) {
                return false;
            }
            position += n;
            remaining -= n;
            sent += n;
        }
        if (!result.isDone()) {
            result.setResult(sent);
        }
        return true;
    }

    /** The transport was lost first. */
    void abandon(Throwable cause) {
        if (!result.isDone()) {
            result.setException(cause);
        }
    }
}
