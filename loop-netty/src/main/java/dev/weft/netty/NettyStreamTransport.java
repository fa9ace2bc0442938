package dev.weft.netty;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.ProtocolCalls;
import dev.weft.net.SocketErrors;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A connected TCP or Unix domain socket of a {@link NettyEventLoop}: the channel's only handler, turning Netty's events
 * into the protocol's callbacks with nio's semantics.
 *
 * <p><b>Reading:</b> each buffer Netty reads is handed to {@code dataReceived} as a view (no copy) and released when
 * the call returns. While reading is paused Netty stops reading ({@code autoRead} off), and what it had read already
 * is held, in order with the end of stream, until reading resumes: no data is called back after
 * {@link #pauseReading()} returns.
 *
 * <p><b>Writing:</b> the transport owns what it is given, so a write wraps the caller's buffer (no copy) and
 * writes and flushes it at once. The bytes count against the water marks from the call until Netty reports them
 * written; the count is the transport's own, exact to the byte. {@link #close()} and {@link #writeEof()} wait for it
 * to reach zero; {@link #abort()} does not.
 *
 * <p><b>The end:</b> whatever ends the connection closes the channel and schedules {@code connectionLost} exactly
 * once; nothing is called back after it.
 */
final class NettyStreamTransport extends ChannelInboundHandlerAdapter implements StreamTransport,
        ChannelFutureListener {
    private final NettyEventLoop loop;
    private final Channel channel;
    private final ChannelOps ops;
    private final StreamProtocol protocol;
    private final NettyServer server; // the server that accepted it, or null for a client
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;

    private long buffered; // bytes given to write() and not yet written to the socket
    private int inNetty; // writes whose promise Netty has not completed yet
    private int filesPending;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean writingPaused;
    private boolean reading = true;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(); // read while paused, not yet delivered
    private boolean eofHeld;
    private boolean eofWanted;
    private boolean inputShutdown; // Netty saw the peer's EOF
    private boolean closedAtEof; // and closed the channel, which cannot half-close
    private boolean begun;
    private boolean closing;
    private boolean lost;
    private Throwable lostCause;

    NettyStreamTransport(NettyEventLoop loop, Channel channel, StreamProtocol protocol, NettyServer server) {
        this.loop = loop;
        this.channel = channel;
        this.ops = new ChannelOps(loop.netty());
        this.protocol = protocol;
        this.server = server;
    }

    /** The channel is connected: call {@code connectionMade}; returns what it threw (the connection is then aborted). */
    Throwable begin() {
        localAddress = NettyAddresses.fromNetty(channel.localAddress());
        remoteAddress = NettyAddresses.fromNetty(channel.remoteAddress());
        begun = true;
        try {
            protocol.connectionMade(this);
            return null;
        } catch (Throwable t) {
            lose(t);
            return t;
        }
    }

    // ---- writing

    @Override
    public void write(ByteBuffer data) {
        loop.checkNetworkConfined("write");
        Objects.requireNonNull(data, "data");
        checkWritable("write");
        int count = data.remaining();
        if (count == 0) {
            return;
        }
        buffered += count;
        ByteBuf message = loop.toWrite(data);
        if (ops.canRunNow()) {
            writeNow(message, count);
        } else {
            ops.run(() -> writeNow(message, count));
        }
        maybePauseProtocol();
    }

    private void writeNow(ByteBuf message, int count) {
        if (lost) { // aborted meanwhile: the bytes are dropped, and were uncounted by lose()
            message.release();
            return;
        }
        if (inNetty > 0) { // behind bytes the socket has not taken: the promise says when these are written
            inNetty++;
            channel.writeAndFlush(message, new Written(channel, count).addListener(this));
            return;
        }
        // The common case: the socket takes it all at once, and a promise would be garbage. Only if bytes are left
        // in Netty's buffer does an empty marker behind them bring a promise that says when they are written.
        channel.writeAndFlush(message, channel.voidPromise()); // a failure reaches exceptionCaught
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent != null && !unsent.isEmpty()) {
            inNetty++;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER, new Written(channel, count).addListener(this));
        } else if (!lost) {
            buffered -= count;
            drained();
        }
    }

    /** A write Netty finished, one way or the other. */
    @Override
    public void operationComplete(ChannelFuture future) {
        inNetty--;
        if (lost) {
            return; // lose() uncounted everything
        }
        buffered -= ((Written) future).bytes;
        if (!future.isSuccess()) {
            lose(broken(future.cause()));
            return;
        }
        drained();
    }

    @Override
    public Future<Long> sendFile(FileChannel file, long position, long count) {
        loop.checkNetworkConfined("sendFile");
        Objects.requireNonNull(file, "file");
        checkWritable("sendFile");
        Future<Long> result = loop.createFuture();
        long length;
        try {
            length = Math.max(0, Math.min(count, file.size() - position));
        } catch (IOException e) {
            result.setException(e); // the file's size could not be read: nothing was queued
            return result;
        }
        if (length == 0) {
            result.setResult(0L);
            return result;
        }
        filesPending++;
        DefaultFileRegion region = new DefaultFileRegion(file, position, length);
        region.retain(); // Netty closes a region's file when it releases it; the caller's file stays the caller's
        ops.run(() -> channel.writeAndFlush(region).addListener(sent -> {
            filesPending--;
            if (sent.isSuccess()) {
                result.setResult(length);
                drained();
            } else {
                Throwable error = lost && lostCause == null ? closed("send the file to") : broken(sent.cause());
                result.setException(error);
                lose(error);
            }
        }));
        return result;
    }

    private void checkWritable(String operation) {
        if (closing) {
            throw closed(operation);
        }
        if (closedAtEof) {
            throw new ClosedResourceException("cannot " + operation + " to " + SocketErrors.describe(remoteAddress)
                    + ": the peer ended its side, and this " + loop.backendName() + " socket cannot half-close, so that"
                    + " closed it; answer before the peer ends its side, or use a loop whose sockets half-close");
        }
        if (eofWanted) {
            throw new ClosedResourceException("cannot " + operation + " to " + SocketErrors.describe(remoteAddress)
                    + " after writeEof()");
        }
    }

    /** Bytes left the buffer: resume the protocol, then finish a close or writeEof waiting for the buffer to empty. */
    private void drained() {
        if (lost) {
            return;
        }
        if (writingPaused && buffered <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                protocolFailed("resumeWriting", t);
                return;
            }
        }
        if (buffered == 0 && filesPending == 0) {
            if (closing) {
                lose(null);
            } else if (eofWanted) {
                shutdownOutput();
            }
        }
    }

    private void maybePauseProtocol() {
        if (!writingPaused && !lost && buffered > highWater) {
            writingPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable t) {
                protocolFailed("pauseWriting", t);
            }
        }
    }

    @Override
    public void writeEof() {
        loop.checkNetworkConfined("writeEof");
        if (closing) {
            throw closed("writeEof");
        }
        if (eofWanted) {
            return;
        }
        eofWanted = true;
        if (closedAtEof) {
            return; // the whole socket is closed already
        }
        if (buffered == 0 && filesPending == 0) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        ops.run(() -> {
            if (!lost) {
                ((DuplexChannel) channel).shutdownOutput().addListener(done -> {
                    if (!done.isSuccess()) {
                        lose(broken(done.cause()));
                    }
                });
            }
        });
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int writeBufferSize() {
        return (int) Math.min(buffered, Integer.MAX_VALUE);
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        loop.checkNetworkConfined("setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("write buffer limits must satisfy 0 <= low <= high; got high=" + high
                    + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    // ---- reading

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        if (reading && !closing) {
            reading = false;
            ops.run(() -> setAutoRead(false));
        }
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        if (!reading && !closing) {
            reading = true;
            if (!held.isEmpty() || eofHeld) {
                loop.callSoon(this::deliverHeld);
            }
            ops.run(() -> {
                if (reading) {
                    setAutoRead(true);
                }
            });
        }
    }

    /**
     * Turn Netty's reading on or off, unless there is nothing left to read: after the peer's EOF Netty may have taken
     * the socket out of its poll set, and changing its interest then fails.
     */
    private void setAutoRead(boolean on) {
        if (lost || inputShutdown) {
            return;
        }
        try {
            channel.config().setAutoRead(on);
        } catch (RuntimeException e) {
            lose(broken(e.getCause() instanceof IOException io ? io : e));
        }
    }

    @Override
    public boolean isReading() {
        return reading && !closing;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        ByteBuf data = (ByteBuf) message;
        if (lost || closing || !begun) {
            data.release();
        } else if (!reading || !held.isEmpty()) {
            held.add(data);
        } else {
            deliver(data);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent && !lost && begun) {
            inputShutdown = true;
            if (reading && held.isEmpty()) {
                eofReceived();
            } else {
                eofHeld = true;
            }
        }
    }

    private void deliverHeld() {
        while (reading && !lost && !held.isEmpty()) {
            deliver(held.poll());
        }
        if (reading && !lost && held.isEmpty() && eofHeld) {
            eofHeld = false;
            eofReceived();
            if (closedAtEof) {
                lose(null);
            }
        }
    }

    private void deliver(ByteBuf data) {
        try {
            protocol.dataReceived(loop.show(data));
        } catch (Throwable t) {
            protocolFailed("dataReceived", t);
        } finally {
            loop.unshow();
            data.release();
        }
    }

    private void eofReceived() {
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Throwable t) {
            protocolFailed("eofReceived", t);
            return;
        }
        if (!keepOpen && !closing) {
            close();
        }
    }

    // ---- the end

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        lose(broken(cause));
    }

    /**
     * A channel that cannot half-close is closed by Netty at the peer's EOF, without telling us it was one: what was
     * read before it still arrives (now, or when reading resumes), then the EOF, then the loss.
     */
    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (!closing && !inputShutdown && begun && !lost && !loop.backend().keepsOpenAfterEof(channel)) {
            inputShutdown = true;
            closedAtEof = true;
            if (!reading || !held.isEmpty()) {
                eofHeld = true; // deliverHeld reports the EOF and the loss
                return;
            }
            eofReceived();
        }
        lose(null);
    }

    /**
     * Netty lets go of a closed channel: what it read is released, unless the protocol has yet to be shown it (a
     * channel closed at the peer's EOF while reading was paused), which is then copied off Netty's pool to wait.
     */
    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        if (closedAtEof && !lost && !loop.releasing()) { // the EOF and the loss are still to come, after what is held
            copyHeldOffNetty();
        } else {
            releaseHeld();
        }
    }

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        releaseHeld();
        if (buffered == 0 && filesPending == 0) {
            lose(null);
        }
    }

    @Override
    public void abort() {
        loop.checkNetworkConfined("abort");
        lose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    /** End the connection now and schedule connectionLost(cause), once; nothing is called back after it. */
    private void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        lostCause = cause;
        buffered = 0;
        filesPending = 0;
        releaseHeld();
        ops.run(channel::close);
        if (server != null) {
            server.forget(this);
        }
        if (!begun || loop.releasing()) {
            return; // a connect that never completed, or the loop is closing: no one to tell
        }
        ProtocolCalls.connectionLostSoon(loop, () -> protocol.connectionLost(cause), t -> report("connectionLost", t));
    }

    private void copyHeldOffNetty() {
        for (int i = held.size(); i > 0; i--) {
            ByteBuf data = held.poll();
            held.add(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(data)));
            data.release();
        }
    }

    private void releaseHeld() {
        ByteBuf data;
        while ((data = held.poll()) != null) {
            data.release();
        }
        eofHeld = false;
    }

    private void protocolFailed(String callback, Throwable error) {
        report(callback, error);
        lose(error);
    }

    private void report(String callback, Throwable error) {
        ProtocolCalls.reportThrew(loop, callback, "connection with " + SocketErrors.describe(remoteAddress),
                "connection", error);
    }

    private Throwable broken(Throwable cause) {
        return cause instanceof IOException io ? SocketErrors.broken(io, remoteAddress) : cause;
    }

    private ClosedResourceException closed(String operation) {
        return SocketErrors.closed(operation, remoteAddress, lostCause);
    }

    // ---- identity

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The channel, for tests of the options applied to it. */
    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "NettyStreamTransport[" + loop.backendName() + ", " + SocketErrors.describe(localAddress) + " -> "
                + SocketErrors.describe(remoteAddress) + (lost ? ", lost" : closing ? ", closing" : "")
                + ", buffered=" + buffered + "]";
    }

    /** A write's promise, carrying how many bytes it counts for. */
    private static final class Written extends DefaultChannelPromise {
        final int bytes;

        Written(Channel channel, int bytes) {
            super(channel, channel.eventLoop());
            this.bytes = bytes;
        }
    }
}
