package dev.weft.net;

import java.net.SocketTimeoutException;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;

/**
 * TLS as a layer, as asyncio's {@code SSLProtocol}: a protocol on a raw stream transport that presents a stream
 * transport to the application's protocol, so every backend gets TLS. The application's {@code connectionMade}
 * comes after the handshake; a failed handshake fails {@link #handshake()} with a {@link TlsHandshakeException}
 * saying why. On the loop only.
 */
public final class TlsTransport implements StreamTransport, StreamProtocol {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private final SSLEngine engine;
    private final StreamProtocol app;
    private final Future<TlsTransport> handshake;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>(); // written before the handshake ended
    private StreamTransport raw;
    private ByteBuffer netIn; // in write mode: what arrived and is not yet unwrapped
    private ByteBuffer appIn;
    private boolean made;
    private boolean closing;
    private boolean eofDelivered;
    private Throwable failure;

    public TlsTransport(EventLoop loop, SSLEngine engine, StreamProtocol app) {
        this.loop = loop;
        this.engine = engine;
        this.app = app;
        this.handshake = loop.createFuture();
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Completes when the handshake is done. @return a future failing with a {@link TlsHandshakeException} */
    public Future<TlsTransport> handshake() {
        return handshake;
    }

    /**
     * Give the handshake at most this long (null or zero: no limit), then abort the connection.
     *
     * @param target what the error names, such as {@code example.com:443}
     */
    void limitHandshake(Duration timeout, String target) {
        if (timeout == null || timeout.isZero() || handshake.isDone()) {
            return;
        }
        TimerHandle timer = loop.callLater(timeout, () -> {
            if (!handshake.isDone()) {
                handshake.setException(new SocketTimeoutException("the TLS handshake with " + target
                        + " did not finish within " + SocketErrors.describe(timeout) + ": the server does not answer "
                        + "as a TLS server; check the port, or allow longer with SocketOptions.withConnectTimeout"));
                abort();
            }
        });
        handshake.addDoneCallback(done -> timer.cancel());
    }

    /** The ALPN protocol agreed on: null before the handshake ends, "" if none was. */
    public String applicationProtocol() {
        return made ? engine.getApplicationProtocol() : null;
    }

    public SSLEngine engine() {
        return engine;
    }

    // ---- StreamProtocol: the raw side

    @Override
    public void connectionMade(StreamTransport transport) {
        raw = transport;
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        pump();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (netIn.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + data.remaining() + 4096);
            netIn.flip();
            netIn = bigger.put(netIn);
        }
        netIn.put(data);
        pump();
    }

    /** The peer closed the socket without close_notify: the application sees EOF, and the connection closes. */
    @Override
    public boolean eofReceived() {
        if (made && !eofDelivered) {
            eofDelivered = true;
            app.eofReceived();
        }
        return false;
    }

    @Override
    public void pauseWriting() {
        if (made) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (made) {
            app.resumeWriting();
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        closing = true;
        Throwable why = failure != null ? failure : cause;
        if (!made) {
            if (!handshake.isDone()) {
                handshake.setException(why != null ? why : new SSLHandshakeException(
                        "the connection closed during the TLS handshake"));
            }
            return;
        }
        app.connectionLost(why);
    }

    // ---- the engine

    /** Run the engine until it needs bytes from the peer; deliver what it decrypts. */
    private void pump() {
        try {
            while (failure == null) {
                switch (engine.getHandshakeStatus()) {
                    // Inline: the tasks are certificate checks of a few milliseconds, fewer than a thread hop costs.
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> {
                        if (wrap(EMPTY).getStatus() == SSLEngineResult.Status.CLOSED && engine.isOutboundDone()) {
                            raw.close();
                            return;
                        }
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapOnce()) {
                            return;
                        }
                    }
                    default -> {
                        if (!made) {
                            handshakeDone();
                        }
                        if (!unwrapOnce()) {
                            return;
                        }
                    }
                }
            }
        } catch (SSLException e) {
            fail(e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void handshakeDone() {
        made = true;
        handshake.setResult(this);
        app.connectionMade(this);
        while (!pending.isEmpty() && !closing) {
            write(pending.poll());
        }
    }

    /** One unwrap; false when more bytes are needed or nothing moved. */
    private boolean unwrapOnce() throws SSLException {
        netIn.flip();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        if (appIn.position() > 0) {
            appIn.flip();
            if (made && !eofDelivered) {
                app.dataReceived(appIn);
            }
            appIn.clear();
        }
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int needed = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < needed) {
                    netIn = ByteBuffer.allocate(needed).put(netIn.flip());
                }
                return false;
            }
            case BUFFER_OVERFLOW -> {
                appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() + appIn.capacity());
                return true;
            }
            case CLOSED -> {
                // close_notify from the peer: a clean end. TLS cannot half-close, so answer it and close.
                if (made && !eofDelivered) {
                    eofDelivered = true;
                    app.eofReceived();
                }
                if (!engine.isOutboundDone()) {
                    engine.closeOutbound();
                    wrap(EMPTY);
                }
                closing = true;
                raw.close();
                return false;
            }
            default -> {
                return result.bytesConsumed() > 0 || result.bytesProduced() > 0
                        || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK
                        || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
            }
        }
    }

    /** Encrypt all of {@code source} (or a handshake message) and hand the records to the raw transport. */
    private SSLEngineResult wrap(ByteBuffer source) throws SSLException {
        SSLEngineResult result;
        do {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            result = engine.wrap(source, out);
            if (out.position() > 0 && !raw.isClosing()) {
                raw.write(out.flip());
            }
        } while (source.hasRemaining() && result.getStatus() == SSLEngineResult.Status.OK);
        return result;
    }

    /** A TLS error: say why, send the engine's alert if it has one, close the socket. */
    private void fail(SSLException e) {
        if (failure != null) {
            return;
        }
        failure = made ? e : TlsHandshakeException.classify(e, engine.getPeerHost(), peerCertificate());
        try {
            engine.closeOutbound();
            wrap(EMPTY); // the alert, so the peer knows why too
        } catch (SSLException | RuntimeException ignored) {
            // the socket is going anyway
        }
        if (!handshake.isDone()) {
            handshake.setException(failure);
        }
        raw.close();
    }

    private X509Certificate peerCertificate() {
        try {
            Certificate[] chain = engine.getHandshakeSession() != null
                    ? engine.getHandshakeSession().getPeerCertificates() : null;
            return chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
        } catch (Exception e) {
            return null; // not yet known: the message names the certificate less precisely
        }
    }

    // ---- StreamTransport: the application side

    @Override
    public void write(ByteBuffer data) {
        if (closing) {
            throw new TransportClosedException("cannot write to " + this + ": it is closing", null);
        }
        if (!made) {
            pending.add(data);
            return;
        }
        try {
            wrap(data);
        } catch (SSLException e) {
            fail(e);
            throw new TransportClosedException("cannot write to " + this + ": TLS failed: " + e.getMessage(), e);
        }
    }

    /** @throws UnsupportedOperationException always: TLS has no half-close */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("TLS cannot half-close: close() sends close_notify instead");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public int writeBufferSize() {
        int size = raw == null ? 0 : raw.writeBufferSize();
        for (ByteBuffer b : pending) {
            size += b.remaining();
        }
        return size;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        raw.setWriteBufferLimits(high, low);
    }

    @Override
    public void pauseReading() {
        raw.pauseReading();
    }

    @Override
    public void resumeReading() {
        raw.resumeReading();
    }

    @Override
    public boolean isReading() {
        return raw.isReading();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return raw == null ? null : raw.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return raw == null ? null : raw.remoteAddress();
    }

    /** Send close_notify after what was written, then close the socket. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (raw == null) {
            return;
        }
        if (made) {
            engine.closeOutbound();
            try {
                wrap(EMPTY);
            } catch (SSLException e) {
                // close_notify could not be made: close the socket anyway
            }
        }
        raw.close();
    }

    @Override
    public void abort() {
        closing = true;
        if (raw != null) {
            raw.abort();
        }
    }

    @Override
    public boolean isClosing() {
        return closing || (raw != null && raw.isClosing());
    }

    @Override
    public String toString() {
        return "TlsTransport[" + (raw == null ? "unconnected" : raw.remoteAddress()) + "]";
    }
}
