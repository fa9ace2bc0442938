package dev.weft.net;

import dev.weft.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The protocol under a stream connection, as asyncio's {@code StreamReaderProtocol}: feeds what the transport delivers
 * into the {@link StreamReader}, keeps the state a {@link StreamWriter} waits on (writing paused, connection lost),
 * and wakes the tasks waiting on it. On the loop only.
 */
final class StreamReaderProtocol implements StreamProtocol {
    private final EventLoop loop;
    private final StreamReader reader;
    private final Consumer<StreamReaderProtocol> onMade; // a server's hook: start the handler; null for clients
    private final WaitList drainWaiters = new WaitList();
    private final WaitList closeWaiters = new WaitList();
    private StreamTransport transport;
    private StreamWriter writer;
    private boolean writingPaused;
    private boolean lost;
    private Throwable lostCause;
    private boolean abandoned; // the task that connected gave up (was cancelled): nobody will use the connection

    StreamReaderProtocol(EventLoop loop, int limit, Consumer<StreamReaderProtocol> onMade) {
        this.loop = loop;
        this.reader = new StreamReader(loop, limit);
        this.onMade = onMade;
    }

    // ---- StreamProtocol

    @Override
    public void connectionMade(StreamTransport made) {
        transport = made;
        if (abandoned) {
            made.abort();
            return;
        }
        reader.connectionMade(made);
        writer = new StreamWriter(loop, made, this);
        if (onMade != null) {
            onMade.accept(this);
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    /** Keep the transport open to write an answer after the peer's EOF, unless it cannot half-close (TLS). */
    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return transport.canWriteEof();
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        drainWaiters.wakeAll();
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost = true;
        lostCause = cause;
        writingPaused = false;
        if (cause == null) {
            reader.feedEof();
        } else {
            reader.fail(cause);
        }
        drainWaiters.wakeAll();
        closeWaiters.wakeAll();
    }

    // ---- for the streams

    /** Nobody will use this connection: abort it now if it is made, or as soon as it is. */
    void abandon() {
        abandoned = true;
        if (transport != null && !transport.isClosing()) {
            transport.abort();
        }
    }

    StreamReader reader() {
        return reader;
    }

    /** The writer, once the connection is made. */
    StreamWriter writer() {
        return writer;
    }

    StreamTransport transport() {
        return transport;
    }

    StreamConnection connection() {
        return new StreamConnection(reader, writer);
    }

    boolean isWritingPaused() {
        return writingPaused;
    }

    boolean isLost() {
        return lost;
    }

    /** Why the connection was lost: null if it was not, or was closed rather than broken. */
    Throwable lostCause() {
        return lostCause;
    }

    /** Suspend the calling task until writing resumes or the connection is lost. */
    void awaitResumed() {
        drainWaiters.await(loop);
    }

    /** Suspend the calling task until the connection is lost. */
    void awaitLost() {
        closeWaiters.await(loop);
    }
}
