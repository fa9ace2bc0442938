package dev.weft.http;

import java.io.IOException;

/**
 * Writes a request's body as it is made, chunk by chunk, from the task that sends the request: see
 * {@link RequestBody#producer(String, long, BodyProducer)}. What it throws ends the request with that same exception,
 * and the connection is closed.
 */
@FunctionalInterface
public interface BodyProducer {
    /** Write the whole body through the sink, then return. */
    void produce(BodySink sink) throws IOException;
}
