package dev.weft.net;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Tasks;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The writing half of a stream connection, for tasks, as asyncio's {@code StreamWriter}. {@link #write} never waits:
 * the transport sends what the socket takes and buffers the rest. {@link #drain()} is where a writer yields to a slow
 * peer: it suspends the task while the transport's buffer is above its high water mark, so a loop of
 * {@code write(chunk); drain();} keeps at most the high water mark plus one chunk of unsent bytes. The buffer being
 * sent is kept whole until its last byte is out, so the buffers held stay under the high water mark plus two chunks
 * (with chunks of the high water mark's size, 64 KiB by default, at two chunks), however long the peer does not read.
 * {@link #write(byte[])} copies the array, so a caller that keeps its array while it drains holds a chunk more: hand the
 * writer a buffer it may keep ({@link #write(ByteBuffer)}) instead.
 *
 * <table>
 *   <caption>Errors (all {@link IOException}s)</caption>
 *   <tr><th>the connection</th><th>{@code write}, {@code writeEof}, {@code drain}</th><th>{@code awaitClosed}</th></tr>
 *   <tr><td>closed by this side ({@link #close}, {@link #abort})</td><td>{@link ClosedResourceException}</td>
 *       <td>returns</td></tr>
 *   <tr><td>broken by the peer or the OS</td><td>{@link BrokenResourceException}</td>
 *       <td>{@link BrokenResourceException}</td></tr>
 *   <tr><td>closed otherwise (the server closed its clients, the loop closed)</td>
 *       <td>{@link ClosedResourceException}</td><td>returns</td></tr>
 * </table>
 *
 * <p>Confined to its loop; {@link #drain()} and {@link #awaitClosed()} wait, and so must run in a task of the loop.
 */
public final class StreamWriter {
    private final EventLoop loop;
    private StreamTransport transport; // replaced once, by the TLS layer, on start_tls
    private final StreamReaderProtocol protocol;
    private final String peer;
    private boolean closed;
    private boolean aborted;
    private boolean eofWritten;

    StreamReaderProtocol protocol() {
        return protocol;
    }

    /** start_tls: from now on write through the TLS layer. */
    void upgrade(StreamTransport layer) {
        transport = layer;
    }

    StreamWriter(EventLoop loop, StreamTransport transport, StreamReaderProtocol protocol) {
        this.loop = loop;
        this.transport = transport;
        this.protocol = protocol;
        this.peer = Addresses.format(transport.remoteAddress());
    }

    /**
     * Send the bytes between the buffer's position and limit, without waiting. The buffer belongs to the writer from
     * now on: do not change it afterwards.
     *
     * @throws ClosedResourceException if the connection is closed, or {@link #writeEof()} was called
     * @throws BrokenResourceException if the connection broke
     */
    public void write(ByteBuffer data) throws IOException {
        checkWritable("write");
        if (data.hasRemaining()) {
            send(data);
        }
    }

    /**
     * Send a copy of the bytes, without waiting.
     *
     * @throws ClosedResourceException if the connection is closed, or {@link #writeEof()} was called
     * @throws BrokenResourceException if the connection broke
     */
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    /**
     * Send the text in UTF-8, without waiting. Nothing is added: end a line with {@code "\n"} yourself.
     *
     * @throws ClosedResourceException if the connection is closed, or {@link #writeEof()} was called
     * @throws BrokenResourceException if the connection broke
     */
    public void write(String text) throws IOException {
        write(text, StandardCharsets.UTF_8);
    }

    /**
     * Send the text in the charset, without waiting (unmappable characters become the charset's replacement, as
     * {@link String#getBytes(Charset)} does).
     *
     * @throws ClosedResourceException if the connection is closed, or {@link #writeEof()} was called
     * @throws BrokenResourceException if the connection broke
     */
    public void write(String text, Charset charset) throws IOException {
        Objects.requireNonNull(charset, "charset");
        checkWritable("write");
        if (!text.isEmpty()) {
            send(ByteBuffer.wrap(text.getBytes(charset)));
        }
    }

    /**
     * Send a copy of {@code length} bytes from {@code offset}, without waiting; see {@link #write(byte[])}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public void write(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkWritable("write");
        if (length > 0) {
            send(ByteBuffer.wrap(Arrays.copyOfRange(data, offset, offset + length)));
        }
    }

    /**
     * Suspend the task while the transport's write buffer is above its high water mark; return at once when it is not.
     * Returns also when this side closes the connection meanwhile with {@link #close()}, which flushes the buffer.
     *
     * @throws ClosedResourceException if the connection is closed (before or while waiting, but by {@code close()})
     * @throws BrokenResourceException if the connection broke
     * @throws CancellationException   if the task is cancelled while waiting
     */
    public void drain() throws IOException {
        checkOpen("drain");
        Tasks.checkCancelled(); // a cancellation point, whether or not it has to wait
        if (transport.isClosing()) {
            // Closed from elsewhere (the server's closeClients) or broken, and connectionLost is on its way: wait for
            // it to learn which, as asyncio's drain does.
            while (!protocol.isLost()) {
                protocol.awaitLost();
            }
            checkOpen("drain");
        }
        while (protocol.isWritingPaused() && !protocol.isLost()) {
            protocol.awaitResumed();
        }
        if (protocol.lostCause() != null) {
            throw broken();
        }
        if (aborted) {
            throw new ClosedResourceException("StreamWriter.drain(): the connection with " + peer
                    + " was aborted while draining; the buffered bytes were dropped");
        }
    }

    /**
     * Half-close: send EOF once the buffered bytes are out; the reader goes on reading what the peer sends. A second
     * call does nothing.
     *
     * @throws UnsupportedOperationException if the transport cannot half-close (TLS); see {@link #canWriteEof()}
     * @throws ClosedResourceException       if the connection is closed
     * @throws BrokenResourceException       if the connection broke
     */
    public void writeEof() throws IOException {
        checkOpen("writeEof");
        if (eofWritten) {
            return;
        }
        if (!transport.canWriteEof()) {
            throw new UnsupportedOperationException("the connection with " + peer + " cannot half-close (TLS "
                    + "cannot): close it instead, or check canWriteEof() first");
        }
        eofWritten = true;
        try {
            transport.writeEof();
        } catch (TransportClosedException e) {
            throw whyClosed(e);
        }
    }

    /** Whether {@link #writeEof()} is supported (TLS cannot half-close). */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /**
     * Close the connection once the buffered bytes are sent; pending reads then end as at the end of the stream. Does
     * not wait: {@link #awaitClosed()} does. Idempotent.
     */
    public void close() {
        enter("close");
        if (!closed) {
            closed = true;
            transport.close();
        }
    }

    /** Close the connection now, dropping the bytes not yet sent. Idempotent. */
    public void abort() {
        enter("abort");
        closed = true;
        aborted = true;
        transport.abort();
    }

    /** Whether the connection is closed or closing, from either side. */
    public boolean isClosing() {
        return closed || protocol.isLost() || transport.isClosing();
    }

    /**
     * Suspend the task until the connection is gone (after {@link #close()}, or until the peer or the network ends
     * it). As asyncio's {@code wait_closed}, it reports a connection that broke.
     *
     * @throws BrokenResourceException if the connection broke
     * @throws CancellationException   if the task is cancelled while waiting
     */
    public void awaitClosed() throws IOException {
        enter("awaitClosed");
        while (!protocol.isLost()) {
            protocol.awaitLost();
        }
        if (protocol.lostCause() != null) {
            throw broken();
        }
    }

    /**
     * Send {@code count} bytes of the file from {@code position}, after what was written before, and suspend until
     * they are handed to the socket; returns the bytes sent (fewer if the file ends first). Where the transport can
     * (plain TCP on nio) the kernel sends them from the page cache; otherwise (TLS) the file is read off the loop in
     * 64 KiB chunks, each written and drained, so memory stays bounded.
     *
     * @throws ClosedResourceException if the writer is closed or EOF was written
     * @throws IOException             if the file cannot be read
     * @throws CancellationException   if the task is cancelled while sending
     */
    public long sendFile(FileChannel file, long position, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        if (closed || eofWritten) {
            throw new ClosedResourceException("cannot send a file to " + peer + ": the writer is "
                    + (closed ? "closed" : "past writeEof()"));
        }
        dev.weft.loop.Future<Long> sent;
        try {
            sent = transport.sendFile(file, position, count);
        } catch (UnsupportedOperationException cannotZeroCopy) {
            return sendFileByChunks(file, position, count);
        } catch (TransportClosedException e) {
            throw whyClosed(e);
        }
        try {
            return sent.await();
        } catch (TransportClosedException closedMeanwhile) {
            throw whyClosed(closedMeanwhile);
        } catch (java.util.concurrent.CompletionException e) { // await's wrapper of a checked failure
            if (e.getCause() instanceof IOException io) {
                throw io instanceof BrokenResourceException ? SocketErrors.brokenAgain(io, peer) : io;
            }
            throw e;
        }
    }

    private long sendFileByChunks(FileChannel file, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        long sent = 0;
        while (sent < count) {
            long at = position + sent;
            int want = (int) Math.min(64 * 1024, count - sent);
            ByteBuffer chunk = loop.runInExecutor(null, () -> {
                ByteBuffer buffer = ByteBuffer.allocateDirect(want);
                while (buffer.hasRemaining() && file.read(buffer, at + buffer.position()) > 0) {
                    // keep reading until the chunk is full or the file ends
                }
                return buffer.flip();
            }).await();
            if (!chunk.hasRemaining()) {
                break; // the file ended
            }
            sent += chunk.remaining();
            write(chunk);
            drain();
        }
        return sent;
    }

    /** The transport underneath, for what streams do not cover (water marks). */
    public StreamTransport transport() {
        return transport;
    }

    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    public SocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    @Override
    public String toString() {
        return "StreamWriter[to " + peer + ", " + transport.writeBufferSize() + " bytes buffered"
                + (eofWritten ? ", eof written" : "") + (isClosing() ? ", closing" : "") + "]";
    }

    // ---- checks

    private void checkWritable(String operation) throws IOException {
        checkOpen(operation);
        if (eofWritten) {
            throw new ClosedResourceException("StreamWriter." + operation + "() after writeEof(): the sending side of "
                    + "the connection with " + peer + " is shut");
        }
    }

    private void checkOpen(String operation) throws IOException {
        enter(operation);
        if (closed) {
            throw new ClosedResourceException("StreamWriter." + operation + "(): the connection with " + peer
                    + " was closed by this side");
        }
        if (protocol.lostCause() != null) {
            throw broken();
        }
        if (protocol.isLost()) {
            throw new ClosedResourceException("StreamWriter." + operation + "(): the connection with " + peer
                    + " is closed");
        }
    }

    /** Hand the bytes to the transport. */
    private void send(ByteBuffer data) throws IOException {
        try {
            transport.write(data);
        } catch (TransportClosedException e) {
            throw whyClosed(e);
        }
    }

    /**
     * The transport is closing but connectionLost has not come yet, so only the transport knows whether the connection
     * broke: a backend that says why, as the cause of its TransportClosedException, gets it reported as broken;
     * otherwise it is this side's close, a ClosedResourceException with the transport's words.
     */
    private IOException whyClosed(TransportClosedException transportSaid) {
        for (Throwable cause = transportSaid.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return SocketErrors.brokenAgain(cause, peer);
            }
        }
        return new ClosedResourceException(transportSaid.getMessage(), transportSaid);
    }

    private BrokenResourceException broken() {
        return SocketErrors.brokenAgain(protocol.lostCause(), peer);
    }

    private void enter(String operation) {
        if (!loop.inLoop()) {
            throw new WrongThreadException("StreamWriter." + operation + "() is confined to its loop, " + loop
                    + "; call it from a task of that loop, or hand the work over with EventLoop.submit");
        }
    }
}
