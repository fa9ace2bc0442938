package dev.weft.http;

import dev.weft.loop.Body;
import dev.weft.net.StreamWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * The sink a body writes itself to: the connection's writer, framed as the head announced. With a length, the bytes go
 * as they are and are counted, so a body that would run past it fails before the extra bytes leave (the server would
 * read them as the next request); with none, each write is a chunk (RFC 9112 §7.1). Every write waits for the
 * connection's drain within the write timeout, which is what holds a producer to the peer's pace.
 */
final class BodyWriter implements BodySink {
    /** The most of a file handed to the connection in one go: the write timeout bounds the wait for each piece. */
    private static final long FILE_PIECE = 1024 * 1024;

    private final StreamWriter out;
    private final Deadline deadline;
    private final long length; // -1: chunked
    private long written;
    private boolean connectionFailed;

    BodyWriter(StreamWriter out, Deadline deadline, long length) {
        this.out = out;
        this.deadline = deadline;
        this.length = length;
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        int size = data.remaining();
        if (size == 0) {
            return; // a chunk of 0 would end a chunked body
        }
        count(size);
        onConnection(() -> {
            if (length < 0) {
                out.write(ChunkedBody.chunkHeader(size));
                out.write(data);
                out.write(ChunkedBody.chunkEnd());
            } else {
                out.write(data);
            }
            drain();
            return null;
        });
    }

    @Override
    public void writeFile(FileChannel file, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        for (long done = 0; done < count; ) {
            int piece = (int) Math.min(FILE_PIECE, count - done);
            count(piece);
            long at = position + done;
            long sent = onConnection(() -> {
                if (length < 0) {
                    out.write(ChunkedBody.chunkHeader(piece));
                }
                return deadline.within(HttpTimeoutException.Kind.WRITE, deadline.timeouts().write(),
                        () -> out.sendFile(file, at, piece));
            });
            if (sent < piece) {
                throw new RequestBodyException("the file ended after " + (done + sent) + " of the " + count
                        + " bytes to send from it: it changed while it was sent");
            }
            if (length < 0) {
                onConnection(() -> {
                    out.write(ChunkedBody.chunkEnd());
                    return null;
                });
            }
            done += piece;
        }
        onConnection(() -> {
            drain();
            return null;
        });
    }

    /** End the body: the last chunk, or a check that all the announced bytes were written; then wait for room. */
    void finish() throws IOException {
        if (length >= 0 && written != length) {
            throw new RequestBodyException("the body wrote " + written + " of the " + length + " bytes it announced"
                    + " in Content-Length; the request is abandoned");
        }
        onConnection(() -> {
            if (length < 0) {
                out.write(ChunkedBody.lastChunk());
            }
            drain();
            return null;
        });
    }

    /** Whether the connection, rather than the body's source, failed: the server may have answered and closed. */
    boolean connectionFailed() {
        return connectionFailed;
    }

    private void count(long size) throws RequestBodyException {
        if (length >= 0 && written + size > length) {
            throw new RequestBodyException("the body wrote more than the " + length + " bytes it announced in"
                    + " Content-Length (" + (written + size) + " so far); the request is abandoned");
        }
        written += size;
    }

    private void drain() throws IOException {
        deadline.within(HttpTimeoutException.Kind.WRITE, deadline.timeouts().write(), () -> {
            out.drain();
            return null;
        });
    }

    /** A step on the connection; a failure of it is the connection's (sendFile's file errors included). */
    private <T> T onConnection(Body<T, IOException> step) throws IOException {
        try {
            return step.call();
        } catch (IOException e) {
            connectionFailed = true;
            throw e;
        }
    }
}
