package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Bytes held in memory: bytes, text, forms, JSON. Each write hands the connection a view of them, so they replay. */
final class BytesBody implements RequestBody {
    private final ByteBuffer bytes;
    private final String contentType;

    BytesBody(ByteBuffer bytes, String contentType) {
        this.bytes = bytes;
        this.contentType = contentType;
    }

    @Override
    public long length() {
        return bytes.remaining();
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
        sink.write(bytes.duplicate());
    }

    @Override
    public String toString() {
        return bytes.remaining() + " bytes" + (contentType == null ? "" : " of " + contentType);
    }
}
