package dev.weft.http;

import java.io.IOException;

/** A body a {@link BodyProducer} writes as it goes; one-shot, since what it made is gone once written. */
final class ProducedBody implements RequestBody {
    private final String contentType;
    private final long length;
    private final BodyProducer producer;
    private boolean written;

    ProducedBody(String contentType, long length, BodyProducer producer) {
        this.contentType = contentType;
        this.length = length;
        this.producer = producer;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public String contentType() {
        return contentType;
    }

    @Override
    public boolean repeatable() {
        return !written;
    }

    @Override
    public void writeTo(BodySink sink) throws IOException {
        if (written) {
            throw new RequestBodyException("a producer's body was asked for a second time: it is written once;"
                    + " make a new request with a new producer, or use a body that replays (bytes, a file)");
        }
        written = true;
        producer.produce(sink);
    }

    @Override
    public String toString() {
        return "a producer's body (" + (length < 0 ? "chunked" : length + " bytes")
                + (contentType == null ? "" : " of " + contentType) + ")";
    }
}
