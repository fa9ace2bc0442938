package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A {@code multipart/form-data} body (RFC 7578), what an HTML form with a file input sends: text fields and files, in
 * the order added, files streamed from disk.
 *
 * <pre>{@code
 * RequestBody form = MultipartBody.builder()
 *         .field("title", "Flags")
 *         .file("upload", Path.of("cn.png"))
 *         .build();
 * session.post(url).body(form).send();
 * }</pre>
 *
 * <p>The boundary is 128 random bits, so no file's content can end a part early by accident or by design. Names and
 * file names are written as browsers write them (the WHATWG rule): UTF-8, with {@code "}, CR and LF percent-encoded.
 * The body has a {@code Content-Length} when every part's length is known (fields, files, bytes), and is sent chunked
 * otherwise; it can be sent again when every part can.
 */
public final class MultipartBody implements RequestBody {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CRLF = {'\r', '\n'};

    private final String boundary;
    private final List<Part> parts;
    private final byte[] closing;
    private final long length;

    /** One part: its boundary line and headers, ready to write, then its body. */
    private record Part(byte[] head, RequestBody body) {
    }

    private MultipartBody(String boundary, List<Part> parts) {
        this.boundary = boundary;
        this.parts = List.copyOf(parts);
        this.closing = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long total = closing.length;
        for (Part part : this.parts) {
            long body = part.body().length();
            total = total < 0 || body < 0 ? -1 : total + part.head().length + body + CRLF.length;
        }
        this.length = total;
    }

    /** A builder of a form with a new random boundary. */
    public static Builder builder() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return new Builder("weft-" + HexFormat.of().formatHex(random));
    }

    /** The boundary between the parts, as the Content-Type names it. */
    public String boundary() {
        return boundary;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    @Override
    public boolean repeatable() {
        return parts.stream().allMatch(part -> part.body().repeatable());
    }

    @Override
    public void writeTo(BodySink sink) throws IOException {
        for (Part part : parts) {
            sink.write(ByteBuffer.wrap(part.head()));
            part.body().writeTo(sink);
            sink.write(ByteBuffer.wrap(CRLF));
        }
        sink.write(ByteBuffer.wrap(closing));
    }

    @Override
    public String toString() {
        return "multipart/form-data of " + parts.size() + " parts (" + (length < 0 ? "chunked" : length + " bytes")
                + ")";
    }

    /** The parts of a form, in order; {@link #build()} makes the body. */
    public static final class Builder {
        private final String boundary;
        private final List<Part> parts = new ArrayList<>();

        private Builder(String boundary) {
            this.boundary = boundary;
        }

        /** A text field, UTF-8. */
        public Builder field(String name, String value) {
            return part(name, null, RequestBody.of(value.getBytes(StandardCharsets.UTF_8), null));
        }

        /**
         * A file input: the file streamed from disk, under its own name, with the media type its name suggests.
         *
         * @throws java.nio.file.NoSuchFileException if there is no such file
         */
        public Builder file(String name, Path file) throws IOException {
            String fileName = file.getFileName() == null ? "file" : file.getFileName().toString();
            return part(name, fileName, RequestBody.file(file, RequestBody.guessContentType(fileName)));
        }

        /** A file input: the file streamed from disk, sent as {@code fileName} with {@code contentType}. */
        public Builder file(String name, Path file, String fileName, String contentType) throws IOException {
            return part(name, Objects.requireNonNull(fileName, "fileName"), RequestBody.file(file, contentType));
        }

        /**
         * A part with any body (bytes, a producer, JSON made with {@link RequestBody#of}), its Content-Type the
         * body's.
         *
         * @param fileName the file name the server sees, or null for a field that is not a file
         */
        public Builder part(String name, String fileName, RequestBody body) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(body, "body");
            StringBuilder head = new StringBuilder("--").append(boundary)
                    .append("\r\nContent-Disposition: form-data; name=\"").append(escape(name)).append('"');
            if (fileName != null) {
                head.append("; filename=\"").append(escape(fileName)).append('"');
            }
            head.append("\r\n");
            if (body.contentType() != null) {
                HttpHeaders.of("Content-Type", body.contentType()); // refuses a CR or LF, as on a request
                head.append("Content-Type: ").append(body.contentType()).append("\r\n");
            }
            head.append("\r\n");
            parts.add(new Part(head.toString().getBytes(StandardCharsets.UTF_8), body));
            return this;
        }

        /** The body; the builder may go on to make another with more parts and the same boundary. */
        public MultipartBody build() {
            return new MultipartBody(boundary, parts);
        }

        /** The WHATWG's escape for a name in a form-data header: {@code "}, CR and LF percent-encoded. */
        static String escape(String name) {
            return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
        }
    }
}
