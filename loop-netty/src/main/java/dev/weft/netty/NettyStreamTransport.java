package dev.weft.netty;

import dev.weft.net.Addresses;
import dev.weft.net.TransportClosedException;
import dev.weft.loop.Future;
import dev.weft.net.AbstractStreamTransport;
import dev.weft.net.ReadLease;
import dev.weft.net.SocketErrors;
import dev.weft.net.StreamProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

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
 * <p>The life cycle, water marks and callbacks are {@link AbstractStreamTransport}'s.
 */
final class NettyStreamTransport extends AbstractStreamTransport implements ChannelFutureListener {
    private final NettyEventLoop netty;
    private final Channel channel;
    private final ChannelOps ops;
    private final NettyServer server; // the server that accepted it, or null for a client
    private final boolean sendsLater; // the backend's writes never finish within writeAndFlush (io_uring)

    private long buffered; // bytes given to write() and not yet written to the socket
    private int inNetty; // writes whose promise Netty has not completed yet
    private int filesPending;
    private boolean reading = true;
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(); // read while paused, not yet delivered
    private boolean eofHeld;
    private boolean inputShutdown; // Netty saw the peer's EOF
    private boolean closedAtEof; // and closed the channel, which cannot half-close
    private boolean begun;

    NettyStreamTransport(NettyEventLoop loop, Channel channel, StreamProtocol protocol, NettyServer server) {
        super(loop, protocol, null, null);
        this.netty = loop;
        this.channel = channel;
        this.ops = new ChannelOps(loop);
        this.server = server;
        this.sendsLater = loop.backend().sendsLater();
        loop.remember(channel);
    }

    /** The channel is connected: call {@code connectionMade}; returns what it threw (the connection is then aborted). */
    /**
     * The connect this transport was made for failed or was given up: let go of the channel. The protocol never heard
     * of the connection, so it hears nothing; the loop's counters and debug mode's {@code LeakWatch} see it closed.
     */
    void abandon() {
        lose(null);
    }

    Throwable begin() {
        setAddresses(NettyAddresses.fromNetty(channel.localAddress()), NettyAddresses.fromNetty(channel.remoteAddress()));
        begun = true;
        return callConnectionMade();
    }

    // ---- writing

    @Override
    protected void writeData(ByteBuffer data) {
        int count = data.remaining();
        buffered += count;
        ByteBuf message = netty.toWrite(data);
        if (ops.canRunNow()) {
            writeNow(message, count);
        } else {
            ops.run(() -> writeNow(message, count));
        }
    }

    private void writeNow(ByteBuf message, int count) {
        if (isLost()) { // aborted meanwhile: the bytes are dropped, and were uncounted by letGo()
            message.release();
            return;
        }
        // Behind bytes the socket has not taken, or on a backend whose sends always finish later: the promise says
        // when these are written.
        if (inNetty > 0 || sendsLater) {
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
        } else if (!isLost()) {
            buffered -= count;
            drained();
        }
    }

    /** A write Netty finished, one way or the other. */
    @Override
    public void operationComplete(ChannelFuture future) {
        inNetty--;
        if (isLost()) {
            return; // letGo() uncounted everything
        }
        buffered -= ((Written) future).bytes;
        if (!future.isSuccess()) {
            broke(future.cause());
            return;
        }
        drained();
    }

    @Override
    protected Future<Long> writeFile(FileChannel file, long position, long count) {
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
        // Netty releases the region once sent, and a region's last release closes its file: this one leaves the caller's
        // file open instead. (A retain did that too, but then the region was never freed, and on io_uring each send
        // left the pipe it splices through open: two descriptors per file sent.)
        DefaultFileRegion region = new DefaultFileRegion(file, position, length) {
            @Override
            protected void deallocate() {
                // the file is the caller's
            }
        };
        ops.run(() -> channel.writeAndFlush(region).addListener(sent -> {
            filesPending--;
            if (sent.isSuccess()) {
                result.setResult(length);
                drained();
            } else if (isLost() && lostCause() == null) {
                result.setException(closed("send the file to"));
            } else {
                broke(sent.cause());
                result.setException(lostCause() != null ? lostCause() : sent.cause());
            }
        }));
        return result;
    }

    @Override
    protected void checkWritable(String operation) {
        if (closedAtEof && !isClosing()) {
            throw new TransportClosedException("cannot " + operation + " to " + Addresses.format(remoteAddress())
                    + ": the peer ended its side, and this " + netty.backendName() + " socket cannot half-close, so"
                    + " that closed it; answer before the peer ends its side, or use a loop whose sockets half-close",
                    null);
        }
        super.checkWritable(operation);
    }

    @Override
    protected long bufferedBytes() {
        return buffered;
    }

    @Override
    protected boolean writesPending() {
        return buffered != 0 || filesPending != 0;
    }

    @Override
    protected void shutdownOutput() {
        if (closedAtEof) {
            return; // the whole socket is closed already
        }
        ops.run(() -> {
            if (!isLost()) {
                ((DuplexChannel) channel).shutdownOutput().addListener(done -> {
                    if (!done.isSuccess()) {
                        broke(done.cause());
                    }
                });
            }
        });
    }

    // ---- reading

    /** The buffer being shown stays Netty's, retained, instead of being copied (see {@link NettyLease}). */
    @Override
    public ReadLease keep(ByteBuffer delivered) {
        ReadLease lease = netty.keep(delivered);
        return lease != null ? lease : super.keep(delivered);
    }

    @Override
    public void pauseReading() {
        loop.checkNetworkConfined("pauseReading");
        if (reading && !isClosing()) {
            reading = false;
            ops.run(() -> setAutoRead(false));
        }
    }

    @Override
    public void resumeReading() {
        loop.checkNetworkConfined("resumeReading");
        if (!reading && !isClosing()) {
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
        if (isLost() || inputShutdown) {
            return;
        }
        try {
            channel.config().setAutoRead(on);
        } catch (RuntimeException e) {
            broke(e.getCause() instanceof IOException io ? io : e);
        }
    }

    @Override
    public boolean isReading() {
        return reading && !isClosing();
    }

    private void channelRead(Object message) {
        loop.counters().ioEvent();
        ByteBuf data = (ByteBuf) message;
        if (isClosing() || !begun) {
            data.release();
        } else if (!reading || !held.isEmpty()) {
            held.add(data);
        } else {
            show(data);
        }
    }

    private void userEventTriggered(Object event) {
        if (event instanceof ChannelInputShutdownEvent && !isLost() && begun) {
            inputShutdown = true;
            try {
                netty.backend().peerEnded(channel);
            } catch (IOException e) {
                broke(e);
                return;
            } catch (RuntimeException e) {
                broke(e.getCause() instanceof IOException io ? io : e);
                return;
            }
            if (reading && held.isEmpty()) {
                eofReceived();
            } else {
                eofHeld = true;
            }
        }
    }

    private void deliverHeld() {
        while (reading && !isLost() && !held.isEmpty()) {
            show(held.poll());
        }
        if (reading && !isLost() && held.isEmpty() && eofHeld) {
            eofHeld = false;
            eofReceived();
            if (closedAtEof) {
                lose(null);
            }
        }
    }

    private void show(ByteBuf data) {
        try {
            received(netty.show(data));
        } finally {
            netty.unshow();
            data.release();
        }
    }

    // ---- the end

    private void exceptionCaught(Throwable cause) {
        broke(cause);
    }

    /**
     * A channel that cannot half-close is closed by Netty at the peer's EOF, without telling us it was one: what was
     * read before it still arrives (now, or when reading resumes), then the EOF, then the loss.
     */
    private void channelInactive() {
        if (!isClosing() && !inputShutdown && begun && !netty.backend().keepsOpenAfterEof(channel)) {
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
    private void handlerRemoved() {
        if (closedAtEof && !isLost() && !netty.releasing()) { // the EOF and the loss are still to come
            copyHeldOffNetty();
        } else {
            releaseHeld();
        }
    }

    @Override
    protected void closingStarted() {
        releaseHeld();
    }

    @Override
    protected void letGo(Throwable cause) {
        buffered = 0;
        filesPending = 0;
        releaseHeld();
        ops.run(channel::close);
        if (server != null) {
            server.forget(this);
        }
    }

    /** A connect that never completed, or a loop that is closing: no one to tell. */
    @Override
    protected boolean tellsProtocolOfLoss() {
        return begun && !netty.releasing();
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

    /** What the channel's pipeline calls: Netty's events, turned into the transport's. */
    ChannelHandler handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                NettyStreamTransport.this.channelRead(message);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext context, Object event) {
                NettyStreamTransport.this.userEventTriggered(event);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                NettyStreamTransport.this.exceptionCaught(cause);
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                NettyStreamTransport.this.channelInactive();
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext context) {
                NettyStreamTransport.this.handlerRemoved();
            }
        };
    }

    /** The channel, for tests of the options applied to it. */
    Channel channel() {
        return channel;
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
