package dev.weft.http;

import java.nio.ByteBuffer;

/** A body held in memory whole: what a response made by an interceptor ({@link HttpResponse#of}) reads. */
final class BufferedBody implements BodySource {
    private ByteBuffer rest;

    BufferedBody(byte[] body) {
        this.rest = ByteBuffer.wrap(body.clone());
    }

    @Override
    public ResponseLimits limits() {
        return ResponseLimits.DEFAULTS;
    }

    @Override
    public ByteBuffer nextBodyChunk() {
        ByteBuffer chunk = rest;
        rest = null;
        return chunk == null || !chunk.hasRemaining() ? null : chunk;
    }

    @Override
    public void abandon() {
        rest = null;
    }

    @Override
    public void finish(int drainLimit) {
        rest = null;
    }
}
