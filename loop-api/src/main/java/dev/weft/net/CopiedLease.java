package dev.weft.net;

import java.nio.ByteBuffer;

/**
 * The default {@link ReadLease}: a copy on the heap that nothing else uses, so it needs no release and may be written
 * without a copy, and the transport's buffer is its own again at once (nio reuses its read buffer; TLS its plaintext
 * one).
 */
final class CopiedLease implements ReadLease {
    private final ByteBuffer data;

    private CopiedLease(ByteBuffer data) {
        this.data = data;
    }

    /** A copy of the bytes between the buffer's position and limit; the buffer's position does not move. */
    static CopiedLease of(ByteBuffer delivered) {
        byte[] copy = new byte[delivered.remaining()];
        delivered.get(delivered.position(), copy);
        return new CopiedLease(ByteBuffer.wrap(copy).asReadOnlyBuffer());
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public ReadLease split(int n) {
        return new CopiedLease(ReadLease.cutFirst(data, n));
    }

    @Override
    public void release() {
        // garbage once unreferenced
    }
}
