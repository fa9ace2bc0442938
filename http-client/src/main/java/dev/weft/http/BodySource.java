package dev.weft.http;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a response's body comes from: an exchange on a connection, or bytes an interceptor answered with. */
interface BodySource {
    /** The limits the body is read under. */
    ResponseLimits limits();

    /** The next raw chunk of the body (still compressed if it is), or null at its end. */
    ByteBuffer nextBodyChunk() throws IOException;

    /** Give up the rest: the response failed on this side. */
    void abandon();

    /** The response is closed: keep what can be kept of the rest, without waiting. Idempotent. */
    void finish(int drainLimit);
}
