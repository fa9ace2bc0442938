package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where a {@link RequestBody} writes itself: the connection, framed as the request's head announced (Content-Length or
 * chunked). Each write returns once the connection has room for more, so a producer that writes in a loop is held to
 * the pace of the peer (the connection's {@code drain}), and the write timeout of {@link HttpTimeouts} bounds each
 * wait. Used from the task sending the request only.
 */
public interface BodySink {
    /**
     * Send the bytes between the buffer's position and limit. The buffer belongs to the sink from now on: do not
     * change it afterwards. An empty buffer sends nothing.
     *
     * @throws RequestBodyException  if the body grows past the length it declared
     * @throws HttpTimeoutException  if the connection takes nothing for longer than the write timeout
     * @throws IOException           if the connection is closed or broken
     */
    void write(ByteBuffer data) throws IOException;

    /** Send a copy of the bytes; see {@link #write(ByteBuffer)}. */
    default void write(byte[] data) throws IOException {
        write(ByteBuffer.wrap(data.clone()));
    }

    /** Send the text in UTF-8; see {@link #write(ByteBuffer)}. */
    default void write(String text) throws IOException {
        write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Send {@code count} bytes of the file from {@code position}, without bringing them onto the heap where the
     * transport can (the kernel's sendfile on plain TCP; TLS reads them in 64 KiB pieces).
     *
     * @throws RequestBodyException if the file ends before {@code count} bytes, or the body grows past its length
     * @throws IOException          if the file cannot be read, or the connection is closed or broken
     */
    void writeFile(FileChannel file, long position, long count) throws IOException;
}
