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
    private TlsTransport layer; // after start_tls: what the raw transport's bytes go through
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
        if (layer != null) {
            layer.dataReceived(data);
        } else {
            reader.feedData(data, transport);
        }
    }

    /** Keep the transport open to write an answer after the peer's EOF, unless it cannot half-close (TLS). */
    @Override
    public boolean eofReceived() {
        if (layer != null) {
            return layer.eofReceived();
        }
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
        if (layer != null) {
            layer.connectionLost(cause); // reaches plainLost through the layer once its handshake is done
            if (!lost) {
                plainLost(cause); // the handshake had not ended: the upgrading task learns why from the layer
            }
            return;
        }
        plainLost(cause);
    }

    /**
     * start_tls: put a TLS layer between the raw transport and this protocol; the layer's handshake starts now.
     *
     * @throws dev.weft.loop.InvalidStateException if the reader holds bytes not yet read: they may be TLS records
     */
    TlsTransport startTls(javax.net.ssl.SSLEngine engine) {
        if (reader.buffered() > 0) {
            throw new dev.weft.loop.InvalidStateException("cannot start TLS on " + writer + ": " + reader.buffered()
                    + " bytes received are not read yet, and they may be the peer's TLS handshake");
        }
        StreamReaderProtocol self = this;
        layer = new TlsTransport(loop, engine, new StreamProtocol() {
            @Override
            public void connectionMade(StreamTransport tls) {
                transport = tls;
                writer.upgrade(tls);
            }

            @Override
            public void dataReceived(ByteBuffer data) {
                reader.feedData(data, layer); // a copy: TLS reuses its plaintext buffer
            }

            @Override
            public boolean eofReceived() {
                reader.feedEof();
                return false;
            }

            @Override
            public void connectionLost(Throwable cause) {
                self.plainLost(cause);
            }
        });
        layer.connectionMade(transport);
        return layer;
    }

    private void plainLost(Throwable cause) {
        lost = true;
        lostCause = cause;
        writingPaused = false;
        reader.connectionLost();
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
