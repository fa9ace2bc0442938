package dev.weft.net;


/**
 * A byte stream (TCP, a Unix domain socket, TLS over either). Writes never block: what the socket cannot take is
 * buffered, and the protocol is told {@link StreamProtocol#pauseWriting()} when the buffer grows past the high water
 * mark and {@link StreamProtocol#resumeWriting()} when it drains below the low one.
 */
public interface StreamTransport extends Transport {
    /** asyncio's defaults: pause writers at 64 KiB buffered, resume them at 16 KiB. */
    int DEFAULT_HIGH_WATER = 64 * 1024;
    int DEFAULT_LOW_WATER = 16 * 1024;

    /**
     * Send the bytes between the buffer's position and limit. The transport owns the buffer from now on.
     *
     * @throws TransportClosedException if the transport is closing, or {@link #writeEof()} was called; if the
     *                                  connection broke, the {@link dev.weft.loop.BrokenResourceException} is its
     *                                  cause. Unchecked: a protocol writes from its callbacks, and learns of a broken
     *                                  connection from {@link StreamProtocol#connectionLost} with the I/O error
     */
    void write(java.nio.ByteBuffer data);

    /** Half-close: send EOF after the buffered data; reading goes on. @throws TransportClosedException if closing */
    void writeEof();

    /** Whether {@link #writeEof()} is supported (TLS cannot half-close). */
    boolean canWriteEof();

    /** Bytes written but not yet handed to the socket. */
    int writeBufferSize();

    /**
     * Set the water marks of the write buffer.
     *
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * Send {@code count} bytes of the file from {@code position}, after what is already buffered, without copying them
     * through the Java heap (nio: {@link java.nio.channels.FileChannel#transferTo}, the kernel's sendfile). The future
     * completes with the bytes sent: fewer than {@code count} if the file ends first. Its bytes do not count against
     * the water marks. Use {@code StreamWriter.sendFile}, which falls back to reading the file where a transport
     * cannot (TLS).
     *
     * @throws TransportClosedException      if the transport is closing, or {@link #writeEof()} was called
     * @throws UnsupportedOperationException if this transport cannot send files (the default)
     */
    default dev.weft.loop.Future<Long> sendFile(java.nio.channels.FileChannel file, long position, long count) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot send files without a copy");
    }

    /**
     * Keep the buffer being shown to {@code dataReceived} past the call, for a reader that lends its bytes
     * ({@link StreamReader#readChunk(int)}): returns a lease on the bytes between its position and limit (the
     * buffer's position does not move), which the caller releases once it is done with them. Call it only from
     * {@code dataReceived}, with the buffer it was given.
     *
     * <p>The default copies the bytes, so every transport supports it; a transport whose read buffers can outlive the
     * callback (Netty's, reference counted; nio's and vthreads', which read on into other memory) keeps the buffer
     * itself instead. See {@link ReadLease}.
     */
    default ReadLease keep(java.nio.ByteBuffer delivered) {
        return CopiedLease.of(delivered);
    }

    /** Stop calling {@code dataReceived} until {@link #resumeReading()}. */
    void pauseReading();

    void resumeReading();

    boolean isReading();
}
