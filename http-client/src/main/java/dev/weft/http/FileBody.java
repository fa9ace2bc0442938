package dev.weft.http;

import dev.weft.loop.EventLoop;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file streamed from disk, opened anew for each send, its length taken when the body was made. The connection gets
 * it through {@link BodySink#writeFile}: from the page cache where the transport can, never whole on the heap.
 */
final class FileBody implements RequestBody {
    private final Path file;
    private final long size;
    private final String contentType;

    FileBody(Path file, long size, String contentType) {
        this.file = file;
        this.size = size;
        this.contentType = contentType;
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public boolean repeatable() {
        return true;
    }

    @Override
    public void writeTo(BodySink sink) throws IOException {
        // Opening a file may wait on the disk: off the loop's thread.
        FileChannel channel = EventLoop.current().runInExecutor(null,
                () -> FileChannel.open(file, StandardOpenOption.READ)).awaitChecked(IOException.class);
        try (channel) {
            long now = channel.size();
            if (now != size) {
                throw new RequestBodyException(file + " changed size from " + size + " to " + now
                        + " bytes after the request announced it: make the body again once the file is written");
            }
            sink.writeFile(channel, 0, size);
        }
    }

    @Override
    public String toString() {
        return file + " (" + size + " bytes" + (contentType == null ? "" : " of " + contentType) + ")";
    }
}
