package dev.weft.http;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Tasks;
import dev.weft.loop.TimerHandle;
import dev.weft.net.StreamConnection;
import dev.weft.scope.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A WebSocket client connection (RFC 6455), opened by {@link HttpSession#webSocket(String, WebSocketOptions)}: send
 * text and binary messages, receive them one by one or iterate over them until the peer closes.
 *
 * <pre>{@code
 * try (WebSocket ws = session.webSocket("ws://127.0.0.1:9000/chat")) {
 *     ws.sendText("hello");
 *     for (WebSocketMessage message : ws) {      // ends when the peer closes
 *         System.out.println(message.asText());
 *     }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Receiving.</b> {@link #receive()} waits as long as it takes (bound it with {@code Timeout.orNull}: see
 *       Cancellation) and returns the next whole message (fragments joined, inflated, text checked
 *       to be UTF-8), or null once the socket is closed. Pings are answered with pongs as they are read; a close
 *       frame from the peer is answered with one and ends the reads. A peer that breaks the protocol gets a close
 *       frame with the code that says why (1002, 1007, 1009) and the read throws a {@link WebSocketException}
 *       carrying it; so does a connection that ends without a close frame (1006). Every read after that returns
 *       null.</li>
 *   <li><b>Sending.</b> Each message goes out whole (fragmented in 64 KiB frames if longer, each masked with a fresh
 *       key, compressed when permessage-deflate was agreed) before another task's message can start; the call then
 *       waits while the connection's write buffer is full, for at most the session's write timeout. After the socket
 *       closed, sends throw {@link ClosedResourceException} saying who closed it.</li>
 *   <li><b>Closing.</b> {@link #close(int, String)} sends a close frame, waits for the peer's (at most
 *       {@link WebSocketOptions#closeTimeout()}, reading and dropping the messages still on their way), then closes
 *       the connection; without an answer in time it aborts it. It never throws an I/O error.</li>
 *   <li><b>Cancellation.</b> A task cancelled in {@code receive()} leaves the socket usable: a frame half read is kept
 *       and finished by the next {@code receive()}, and a fragmented message goes on being joined. A cancelled task's
 *       {@code close()} does not wait: it aborts the connection (its close frame may not get out) and the
 *       cancellation goes on.</li>
 *   <li><b>Heartbeat.</b> With {@link WebSocketOptions#heartbeat()}, a ping goes out every interval; a peer that sent
 *       nothing at all between one ping and the next is taken for gone, the connection is aborted, and the waiting
 *       read throws a {@link WebSocketException} (1006) that says so.</li>
 * </ul>
 *
 * <p>The connection belonged to the session's pool for the handshake; from the 101 on it is this socket's and is
 * closed with it (or with the session, if the session closes first). Confined to the session's loop; one task
 * receives at a time (another that tries meets {@link dev.weft.loop.BusyResourceException}), any may send.
 */
public final class WebSocket implements AutoCloseable, Iterable<WebSocketMessage> {
    private static final int READ_SIZE = 64 * 1024;

    private final URI url;
    private final String peer;
    private final ConnectionPool.Lease<HttpConnection> lease;
    private final StreamConnection stream;
    private final EventLoop loop;
    private final WebSocketOptions options;
    private final Duration writeTimeout;
    private final String subprotocol;
    private final WebSocketDeflate deflate;
    private final WebSocketFrameDecoder decoder;
    private final WebSocketAssembler assembler;
    private final WebSocketFrameEncoder encoder;

    private ByteBuffer input;         // read, not yet decoded
    private boolean closeSent;        // our close frame is written: no more messages go out
    private boolean closed;           // the connection is closed or closing: nothing more is read
    private int closeCode;            // 0 while open
    private String closeReason = "";
    private String closedBy;          // for the ClosedResourceException of a late send
    private WebSocketException pendingFailure; // why the connection was aborted under a waiting read, not yet thrown
    private Future<Void> peerCloseSeen; // a close() waiting while another task reads
    private boolean receiving;
    private TimerHandle heartbeat;
    private boolean pinged;           // the heartbeat sent a ping
    private boolean heard;            // a frame came since the heartbeat's last ping

    WebSocket(URI url, ConnectionPool.Lease<HttpConnection> lease, ByteBuffer first, String subprotocol,
              WebSocketDeflate deflate, WebSocketOptions options, Duration writeTimeout, SecureRandom random) {
        this.url = url;
        this.peer = url.toString();
        this.lease = lease;
        this.stream = lease.connection().stream();
        this.loop = EventLoop.current();
        this.options = options;
        this.writeTimeout = writeTimeout;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
        this.decoder = new WebSocketFrameDecoder(peer, options.maxMessageBytes(), deflate != null);
        this.assembler = new WebSocketAssembler(peer, options.maxMessageBytes(), deflate);
        this.encoder = new WebSocketFrameEncoder(random);
        this.input = first;
        if (options.heartbeat() != null) {
            heartbeat = loop.callLater(options.heartbeat(), this::beat);
        }
        lease.connection().closeAs(this::sessionClosed);
    }

    /** The URL it was opened with. */
    public URI url() {
        return url;
    }

    /** The subprotocol the server chose from those offered, or null if it chose none. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Whether permessage-deflate (RFC 7692) was agreed: messages both ways are compressed. */
    public boolean compressed() {
        return deflate != null;
    }

    /** Whether the socket is closed or closing: no more messages can be sent. */
    public boolean isClosed() {
        return closeSent || closed;
    }

    /**
     * How the socket closed: the code of the peer's close frame (1005 if it had none), the code this side closed with
     * when the peer broke the protocol or did not answer, 1006 if the connection ended without a close frame; 0 while
     * it is open.
     */
    public int closeCode() {
        return closeCode;
    }

    /** The reason that came with {@link #closeCode()}, empty if none. */
    public String closeReason() {
        return closeReason;
    }

    // ---- sending

    /**
     * Send a text message.
     *
     * @throws ClosedResourceException if the socket is closed
     * @throws HttpTimeoutException    if the connection took no bytes for the session's write timeout
     */
    public void sendText(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sendMessage(WebSocketFrame.TEXT, bytes, 0, bytes.length, "sendText");
    }

    /** Send a binary message; see {@link #sendText}. */
    public void sendBinary(byte[] data) throws IOException {
        sendBinary(data, 0, data.length);
    }

    /** Send {@code length} bytes from {@code offset} as a binary message; see {@link #sendText}. */
    public void sendBinary(byte[] data, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, data.length);
        sendMessage(WebSocketFrame.BINARY, data, offset, length, "sendBinary");
    }

    /**
     * Send a ping; the peer's pong is read (and dropped) by {@link #receive()}.
     *
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     */
    public void ping(byte[] payload) throws IOException {
        if (payload.length > WebSocketFrame.MAX_CONTROL_PAYLOAD) {
            throw new IllegalArgumentException("a ping carries at most 125 bytes, not " + payload.length);
        }
        checkOpen("ping");
        stream.writer().write(encoder.frame(true, false, WebSocketFrame.PING, payload, 0, payload.length));
        drain();
    }

    private void sendMessage(int opcode, byte[] data, int offset, int length, String operation) throws IOException {
        checkOpen(operation);
        ByteBuffer[] frames;
        if (deflate != null) {
            byte[] compressed = deflate.compress(data, offset, length);
            frames = encoder.message(opcode, true, compressed, 0, compressed.length);
        } else {
            frames = encoder.message(opcode, false, data, offset, length);
        }
        for (ByteBuffer frame : frames) { // no wait between them: another task's message cannot cut in
            stream.writer().write(frame);
        }
        drain();
    }

    private void drain() throws IOException {
        if (writeTimeout == null) {
            stream.writer().drain();
            return;
        }
        boolean drained = Timeout.orNull(writeTimeout, () -> {
            stream.writer().drain();
            return true;
        }) != null;
        if (!drained) {
            throw new HttpTimeoutException(HttpTimeoutException.Kind.WRITE, writeTimeout, "WebSocket " + peer
                    + ": the connection took no bytes within " + writeTimeout + " (the write timeout of HttpTimeouts);"
                    + " the message is still queued");
        }
    }

    private void checkOpen(String operation) throws ClosedResourceException {
        if (closeSent || closed) {
            throw new ClosedResourceException("WebSocket." + operation + "(): the WebSocket to " + peer
                    + " was closed " + closedBy);
        }
    }

    // ---- receiving

    /**
     * The next message, or null once the socket is closed (the peer's close frame was read, or this side closed it).
     *
     * @throws WebSocketException      if the peer broke the protocol or a limit (the socket is closed with the code
     *                                 it carries), or the connection ended without a close frame (1006)
     * @throws CancellationException   if the task is cancelled while waiting; the socket stays usable
     * @throws IOException             if the connection broke
     */
    public WebSocketMessage receive() throws IOException {
        if (closed) {
            return reportPendingFailure();
        }
        receiving = true;
        try {
            while (true) {
                WebSocketFrame frame = nextFrame();
                if (frame == null) {
                    return null;
                }
                if (!frame.isControl()) {
                    WebSocketMessage message = failOn(() -> assembler.add(frame));
                    if (message != null) {
                        return message;
                    }
                } else if (frame.opcode() == WebSocketFrame.CLOSE) {
                    peerClosed(frame.payload());
                    return null;
                } else if (frame.opcode() == WebSocketFrame.PING && !closeSent) {
                    byte[] ping = frame.payload();
                    stream.writer().write(encoder.frame(true, false, WebSocketFrame.PONG, ping, 0, ping.length));
                    drain();
                }
            }
        } finally {
            receiving = false;
        }
    }

    /** The next frame, or null when the connection ended under this side's own close. */
    private WebSocketFrame nextFrame() throws IOException {
        while (true) {
            WebSocketFrame frame = failOn(() -> decoder.next(input));
            if (frame != null) {
                heard = true;
                return frame;
            }
            byte[] bytes;
            try {
                bytes = stream.reader().read(READ_SIZE); // a cancelled read consumes nothing: the decoder kept the rest
            } catch (BrokenResourceException | ClosedResourceException e) {
                if (closed) {
                    return reportPendingFailure();
                }
                closedBy = "when the connection broke: " + e.getMessage();
                ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
                throw e;
            }
            if (bytes.length == 0) {
                if (closed) {
                    return reportPendingFailure();
                }
                closedBy = "by the peer, without a close frame";
                ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
                throw new WebSocketException(WebSocketFrame.ABNORMAL_CLOSURE, peer + " ended the connection without a "
                        + "close frame" + (decoder.inFrame() || assembler.inMessage() ? ", in the middle of a "
                        + (decoder.inFrame() ? "frame" : "fragmented message") : "") + " (1006)");
            }
            input = ByteBuffer.wrap(bytes);
        }
    }

    /** The failure that aborted the connection under a waiting read, once; null after. */
    private <T> T reportPendingFailure() throws WebSocketException {
        WebSocketException failure = pendingFailure;
        pendingFailure = null;
        if (failure != null) {
            throw failure;
        }
        return null;
    }

    /** A step that may find the peer broke the protocol: then the socket closes with the step's code, and throws. */
    private <T> T failOn(Step<T> step) throws WebSocketException {
        try {
            return step.run();
        } catch (WebSocketException e) {
            throw fail(e);
        }
    }

    /** The peer broke the protocol: close with the code that says how, and return the failure to throw. */
    private WebSocketException fail(WebSocketException e) {
        sendClose(new WebSocketClose(e.closeCode(), ""));
        closedBy = "by this side after a protocol error: " + e.getMessage();
        ended(e.closeCode(), "", true);
        awaitConnectionGone();
        return e;
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws WebSocketException;
    }

    /** The peer's close frame: checked, answered with the same code unless this side closed first, then the end. */
    private void peerClosed(byte[] payload) throws WebSocketException {
        WebSocketClose close = failOn(() -> WebSocketClose.parse(peer, payload));
        if (!closeSent) {
            sendClose(new WebSocketClose(close.code(), ""));
            closedBy = "by the peer (" + close + ")";
        }
        ended(close.code(), close.reason(), true);
        awaitConnectionGone();
    }

    /** The session closed first: going away (1001), without waiting for an answer. In a task or a callback. */
    private void sessionClosed() {
        if (closed) {
            return;
        }
        sendClose(new WebSocketClose(WebSocketFrame.GOING_AWAY, "session closed"));
        closedBy = "by this side: its HttpSession was closed";
        ended(WebSocketFrame.GOING_AWAY, "session closed", true);
    }

    // ---- closing

    /** Close with 1000 (normal closure); see {@link #close(int, String)}. */
    @Override
    public void close() {
        close(WebSocketFrame.NORMAL_CLOSURE, "");
    }

    /**
     * Close the socket: send a close frame with the code and reason, wait for the peer's (at most the close timeout,
     * dropping messages that arrive meanwhile), then close the connection, or abort it if the peer did not answer.
     * Idempotent; never throws an I/O error.
     *
     * @throws IllegalArgumentException if the code may not be sent (RFC 6455 §7.4: 1000–1003, 1007–1014, 3000–4999),
     *                                  or the reason is longer than 123 bytes in UTF-8
     * @throws CancellationException    if the task is cancelled: the connection is aborted without waiting
     */
    public void close(int code, String reason) {
        WebSocketClose close = WebSocketClose.toSend(code, reason);
        if (closed) {
            return;
        }
        if (!closeSent) {
            closedBy = "by this side (" + close + ")";
            if (!sendClose(close)) {
                ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
                return;
            }
        }
        if (Tasks.isCancelled()) { // a cancelled task does not wait for the answer
            ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
            Tasks.checkCancelled();
        }
        try {
            if (Timeout.orNull(options.closeTimeout(), () -> {
                awaitPeerClose();
                return true;
            }) == null && !closed) {
                ended(WebSocketFrame.ABNORMAL_CLOSURE, "no close frame from the peer within "
                        + options.closeTimeout(), false);
            }
        } catch (IOException e) {
            if (!closed) {
                ended(WebSocketFrame.ABNORMAL_CLOSURE, e.getMessage(), false);
            }
        } finally {
            if (!closed) { // cancelled while waiting
                ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
            }
        }
    }

    /** Wait for the peer's close frame: read it here, or let the task already reading find it. */
    private void awaitPeerClose() throws IOException {
        stream.writer().drain();
        if (receiving) {
            if (peerCloseSeen == null) {
                peerCloseSeen = loop.createFuture();
            }
            peerCloseSeen.await();
            return;
        }
        while (!closed) {
            receive(); // drops the messages still on their way
        }
    }

    /** Write a close frame without waiting; false if the connection cannot take it. */
    private boolean sendClose(WebSocketClose close) {
        if (closeSent || closed) {
            return true;
        }
        closeSent = true;
        byte[] payload = close.payload();
        try {
            stream.writer().write(encoder.frame(true, false, WebSocketFrame.CLOSE, payload, 0, payload.length));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The end: the connection is closed (gracefully: what was written goes out first) or aborted, the pool forgets
     * it, and a close() waiting on another task's read is woken. Never waits.
     */
    private void ended(int code, String reason, boolean graceful) {
        if (closed) {
            return;
        }
        closed = true;
        closeCode = code;
        closeReason = reason;
        if (closedBy == null) {
            closedBy = "(" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
        }
        if (heartbeat != null) {
            heartbeat.cancel();
        }
        if (graceful) {
            stream.writer().close();
        } else {
            stream.writer().abort();
        }
        lease.forget();
        if (deflate != null) {
            deflate.close();
        }
        if (peerCloseSeen != null) {
            peerCloseSeen.setResult(null);
        }
    }

    /**
     * After a graceful end in a task: wait (at most the close timeout, and not in a cancelled task) until what was
     * written, the close frame last, is out and the connection gone. A program that ends as soon as the call returns
     * must not lose its close frame in a write queue (the vthreads backend writes from a thread of its own).
     */
    private void awaitConnectionGone() {
        boolean gone = false;
        if (!Tasks.isCancelled()) {
            try {
                gone = Timeout.orNull(options.closeTimeout(), () -> {
                    stream.writer().awaitClosed();
                    return true;
                }) != null;
            } catch (IOException brokenMeanwhile) {
                gone = true; // nothing left to wait for
            }
        }
        if (!gone) {
            stream.writer().abort();
        }
    }

    // ---- heartbeat

    /** Every interval: give up on a peer silent since the last ping, else ping it. On the loop, in a callback. */
    private void beat() {
        heartbeat = null;
        if (closed || closeSent) {
            return;
        }
        if (pinged && !heard && stream.reader().buffered() == 0) {
            pendingFailure = new WebSocketException(WebSocketFrame.ABNORMAL_CLOSURE, peer + " sent nothing, not even "
                    + "a pong, for the heartbeat interval of " + options.heartbeat() + " after a ping: taken for "
                    + "gone, the connection was aborted (1006)");
            closedBy = "by this side: " + pendingFailure.getMessage();
            ended(WebSocketFrame.ABNORMAL_CLOSURE, "", false);
            return;
        }
        heard = false;
        pinged = true;
        try {
            stream.writer().write(encoder.frame(true, false, WebSocketFrame.PING, new byte[0], 0, 0));
        } catch (IOException e) {
            return; // the connection is gone: the next read says how
        }
        heartbeat = loop.callLater(options.heartbeat(), this::beat);
    }

    // ---- iterating

    /**
     * The messages as they come, until the socket closes; an I/O failure is thrown as an
     * {@link UncheckedIOException} around it. Each {@code hasNext()} may wait, as {@link #receive()}.
     */
    @Override
    public Iterator<WebSocketMessage> iterator() {
        return new Iterator<>() {
            private WebSocketMessage next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = receive();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public WebSocketMessage next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the WebSocket to " + peer + " is closed");
                }
                WebSocketMessage message = next;
                next = null;
                return message;
            }
        };
    }

    @Override
    public String toString() {
        return "WebSocket[" + peer + (closed ? ", closed " + closeCode : closeSent ? ", closing" : ", open")
                + (deflate != null ? ", permessage-deflate" : "") + "]";
    }
}
