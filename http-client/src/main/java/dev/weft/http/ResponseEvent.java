package dev.weft.http;

import java.nio.ByteBuffer;

/**
 * What {@link ResponseParser#next} found: for each response its {@link Head} (after any interim 1xx heads), zero or
 * more {@link BodyChunk}s, then {@link End}.
 */
sealed interface ResponseEvent {

    /**
     * A status line and its header section. {@code status < 200} is an interim response (100 Continue, 103 Early
     * Hints): the final one follows; 101 Switching Protocols is followed at once by {@link End}.
     */
    record Head(int status, String reason, HttpHeaders headers, boolean http11) implements ResponseEvent {
    }

    /**
     * Some body bytes, as they came on the wire (still compressed if the response is). A slice of the buffer given to
     * {@code next} when the bytes were there, so valid only until the caller reuses that buffer.
     */
    record BodyChunk(ByteBuffer data) implements ResponseEvent {
    }

    /** The response is complete; {@code trailers} are a chunked body's trailer fields, else empty. */
    record End(HttpHeaders trailers) implements ResponseEvent {
    }
}
