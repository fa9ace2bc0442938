package dev.weft.http;

import java.io.IOException;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The body of a request: its length if known, its content type, whether it can be sent again, and how it writes
 * itself to the connection. A body of known length goes with {@code Content-Length}, one of unknown length with
 * {@code Transfer-Encoding: chunked}.
 *
 * <p>Bytes, text, forms and files can be sent any number of times (a 307 or 308 redirect, or the one retry after a
 * stale pooled connection, sends them again); a {@linkplain #producer producer} only once. A file is streamed from
 * disk: the heap never holds it.
 *
 * <p>Implement it for a body of your own that can write itself again; for one that cannot, use {@link #producer}.
 */
public interface RequestBody {
    /** The body's length in bytes, or -1 if it is known only once it has been written (then it is sent chunked). */
    long length();

    /** Its media type, as {@code application/json}, or null for none; a Content-Type header on the request wins. */
    String contentType();

    /**
     * Whether it can be written now: always for bytes and files; for a one-shot body, only before its first write.
     * A request whose body cannot be written again is not sent again: a 307 or 308 redirect is returned as the
     * response, and a failure on a stale pooled connection is thrown.
     */
    boolean repeatable();

    /**
     * Write the whole body through the sink. In the task that sends the request.
     *
     * @throws IOException as the sink or the source throws it; the request ends with it
     */
    void writeTo(BodySink sink) throws IOException;

    /** The bytes (copied), with their media type (null: none). */
    static RequestBody of(byte[] bytes, String contentType) {
        return new BytesBody(ByteBuffer.wrap(bytes.clone()), contentType);
    }

    /** Text in UTF-8, as {@code text/plain; charset=utf-8}. */
    static RequestBody text(String text) {
        return new BytesBody(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), "text/plain; charset=utf-8");
    }

    /** A form, {@code application/x-www-form-urlencoded}, its fields in the map's order, UTF-8. */
    static RequestBody form(Map<String, String> fields) {
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return new BytesBody(ByteBuffer.wrap(form.toString().getBytes(StandardCharsets.US_ASCII)),
                "application/x-www-form-urlencoded");
    }

    /** A file streamed from disk, with the media type its name suggests ({@code application/octet-stream} if none). */
    static RequestBody file(Path file) throws IOException {
        return file(file, guessContentType(file.getFileName() == null ? "" : file.getFileName().toString()));
    }

    /**
     * A file streamed from disk, with {@code Content-Length} from its size now; if its size has changed when it is
     * sent, the request fails with a {@link RequestBodyException} rather than sending something else.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws IOException         if it is a directory or its size cannot be read
     */
    static RequestBody file(Path file, String contentType) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " is a directory: a request body is a file's bytes");
        }
        return new FileBody(file, Files.size(file), contentType);
    }

    /**
     * A body written as it is made, by {@code producer} in the task that sends the request, each write waiting for the
     * connection to take it. One-shot: it is written once, never again.
     *
     * @param length the exact length it will write, or -1 if unknown (sent chunked)
     */
    static RequestBody producer(String contentType, long length, BodyProducer producer) {
        if (length < -1) {
            throw new IllegalArgumentException("a producer's length is its byte count, or -1 for unknown: " + length);
        }
        return new ProducedBody(contentType, length, Objects.requireNonNull(producer, "producer"));
    }

    /** A producer of unknown length, sent chunked; see {@link #producer(String, long, BodyProducer)}. */
    static RequestBody producer(String contentType, BodyProducer producer) {
        return producer(contentType, -1, producer);
    }

    /** The media type the JDK's table gives a file name, or {@code application/octet-stream}. */
    static String guessContentType(String fileName) {
        String type = URLConnection.guessContentTypeFromName(fileName);
        return type == null ? "application/octet-stream" : type;
    }
}
